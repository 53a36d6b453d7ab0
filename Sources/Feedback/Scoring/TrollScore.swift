/// Signals of bad actors over a time frame (Open Assistant's trollboard).
public struct TrollSignals: Codable, Sendable, Equatable {
    public var redFlags = 0
    public var upvotes = 0
    public var downvotes = 0
    /// The user's prompts whose trees were aborted as low grade.
    public var spamPrompts = 0
    /// Label counts on the user's messages (each reviewer's flag counts once).
    public var langMismatch = 0
    public var notAppropriate = 0
    public var pii = 0
    public var hateSpeech = 0
    public var sexualContent = 0
    public var politicalContent = 0

    public init() {}

    /// `3·red flags − upvotes + downvotes + spam prompts + the flag labels`; higher is worse.
    public var score: Int {
        3 * redFlags - upvotes + downvotes + spamPrompts + langMismatch + notAppropriate + pii + hateSpeech
            + sexualContent + politicalContent
    }
}
