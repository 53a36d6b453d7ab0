/// How many assistant replies a model writes for contributors to rank beside their own, and how fast.
/// Zero replies per prompt switches the model off.
public struct SyntheticReplyPolicy: Codable, Sendable, Equatable {
    /// Model-written replies wanted under each prompt (capped so a human can always reply too).
    public var repliesPerPrompt: Int
    /// Replies written (or being written) in any hour, across all processes on the database.
    public var maxRepliesPerHour: Int
    /// Generations running at once in one process.
    public var maxConcurrentGenerations: Int

    public init(repliesPerPrompt: Int = 0, maxRepliesPerHour: Int = 60, maxConcurrentGenerations: Int = 1) {
        self.repliesPerPrompt = repliesPerPrompt
        self.maxRepliesPerHour = maxRepliesPerHour
        self.maxConcurrentGenerations = maxConcurrentGenerations
    }

    public var isEnabled: Bool { repliesPerPrompt > 0 && maxRepliesPerHour > 0 && maxConcurrentGenerations > 0 }

    public static let off = SyntheticReplyPolicy()
}
