/// Limits on what a contributor submits (Open Assistant's `Settings`), separate from the tree thresholds.
public struct SubmissionLimits: Codable, Sendable, Equatable {
    /// Longest message text, in characters.
    public var messageSizeLimit = 2000
    /// The same user may not post identical text again within this window.
    public var duplicateMessageWindowMinutes = 120
    /// A task expires this long after it was handed out (2 days).
    public var taskValidityMinutes = 2880
    /// Longest free text attached to labels or a report.
    public var labelTextLimit = 65536

    public init() {}

    public static let `default` = SubmissionLimits()

    public var duplicateMessageWindowSeconds: Double { Double(duplicateMessageWindowMinutes) * 60 }
    public var taskValiditySeconds: Double { Double(taskValidityMinutes) * 60 }
}
