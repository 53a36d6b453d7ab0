/// What keeps the chat fair on one shared model, with defaults for a small machine. The server reads
/// overrides from its environment; the rules that use them live here.
public struct ChatLimits: Sendable, Equatable {
    /// Replies one user may ask for per window (the original: 20 per 10 minutes).
    public var repliesPerWindow = 20
    public var windowSeconds = 600
    /// Replies waiting for the model across all users; one more is answered "busy, try again".
    public var maxQueued = 64
    /// A reply that waited this long for the model is given up as timed out.
    public var queueTimeoutSeconds = 600
    /// A reply still generating after this long is stopped, keeping what it wrote.
    public var generationTimeoutSeconds = 300
    /// A worker silent (no heartbeat) this long is taken for dead: its running replies end as interrupted.
    public var workerSilenceSeconds = 30
    /// The longest message a user may send, in characters.
    public var maxMessageLength = 8000
    /// Chat titles are cut to this many characters, as in the original.
    public var maxTitleLength = 100
    /// Tokens one reply may have before it is cut off (and can be continued); the original's 1024.
    public var maxNewTokens = 1024
    /// Replies generated side by side on "retry with drafts".
    public var draftChoices = 2...3
    /// A small model now and then ends its turn before writing anything; such a reply is generated again
    /// (with the next seed), up to this many times in all, before the empty reply is kept.
    public var emptyReplyAttempts = 3

    public init() {}

    public static let `default` = ChatLimits()
}
