import Foundation

/// A text the same user posted earlier (for the duplicate check).
public struct RecentText: Sendable, Equatable {
    public var text: String
    public var createdAt: Date

    public init(text: String, createdAt: Date) {
        self.text = text
        self.createdAt = createdAt
    }
}

public enum TextReplyValidation {
    /// The text to store: trimmed of surrounding whitespace, or the reason it is refused.
    /// - Parameter recentTexts: the user's own messages (any window; older ones are ignored here).
    public static func validate(
        _ text: String, recentTexts: [RecentText] = [], now: Date, _ limits: SubmissionLimits = .default
    ) -> Result<String, SubmissionError> {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty { return .failure(.emptyText) }
        if trimmed.count > limits.messageSizeLimit {
            return .failure(.textTooLong(length: trimmed.count, limit: limits.messageSizeLimit))
        }
        if isDuplicate(trimmed, recentTexts: recentTexts, now: now, limits) { return .failure(.duplicateText) }
        return .success(trimmed)
    }

    /// Identical text (after trimming) by the same user within the duplicate window.
    public static func isDuplicate(_ text: String, recentTexts: [RecentText], now: Date, _ limits: SubmissionLimits)
        -> Bool
    {
        let since = now.addingTimeInterval(-limits.duplicateMessageWindowSeconds)
        let candidate = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return recentTexts.contains {
            $0.createdAt >= since && $0.text.trimmingCharacters(in: .whitespacesAndNewlines) == candidate
        }
    }

    /// Whether a reply may be stored under a parent: the tree accepts replies and the user has no non-deleted
    /// reply there yet.
    public static func validateReplyTarget(
        treeState: TreeState, existingRepliesByUser: Int
    ) -> SubmissionError? {
        if !treeState.acceptsReplies { return .treeNotAcceptingReplies(treeState) }
        if existingRepliesByUser > 0 { return .duplicateReply }
        return nil
    }
}
