import Foundation

/// Checks a person's request against the chat rules before anything is stored.
public enum ChatRules {
    public enum Refusal: Error, Equatable, Sendable, CustomStringConvertible {
        case emptyMessage
        case messageTooLong(limit: Int)
        /// One reply at a time per user: a second one would let one person fill the shared queue.
        case replyInProgress
        case queueFull
        /// Only a reply that ran out of tokens can be continued.
        case notContinuable
        case parentNotReady
        case invalidDraftCount(ClosedRange<Int>)

        public var description: String {
            switch self {
            case .emptyMessage: return "Please write a message first."
            case .messageTooLong(let limit): return "Messages can be at most \(limit) characters long."
            case .replyInProgress: return "A reply is still being written. Wait for it to finish, or stop it, before asking for another."
            case .queueFull: return "The assistant is busy right now. Please try again in a minute."
            case .notContinuable: return "Only a reply that was cut off at the length limit can be continued."
            case .parentNotReady: return "You can answer once the assistant's reply is complete."
            case .invalidDraftCount(let range): return "Drafts come in groups of \(range.lowerBound) to \(range.upperBound)."
            }
        }
    }

    /// The text as it will be stored (outer whitespace trimmed), or why it cannot be sent.
    public static func validatedMessage(_ text: String, limits: ChatLimits = .default) -> Result<String, Refusal> {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty { return .failure(.emptyMessage) }
        if trimmed.count > limits.maxMessageLength { return .failure(.messageTooLong(limit: limits.maxMessageLength)) }
        return .success(trimmed)
    }

    /// A chat's title from its first message: one line, at most `maxTitleLength` characters.
    public static func title(from text: String, limits: ChatLimits = .default) -> String {
        let line = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? text
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        guard trimmed.count > limits.maxTitleLength else { return trimmed }
        return String(trimmed.prefix(limits.maxTitleLength - 1)) + "…"
    }

    /// Whether a new reply may be queued, given what the user and everyone already have waiting.
    public static func admission(userActiveReplies: Int, queued: Int, limits: ChatLimits = .default) -> Refusal? {
        if userActiveReplies > 0 { return .replyInProgress }
        if queued >= limits.maxQueued { return .queueFull }
        return nil
    }
}

