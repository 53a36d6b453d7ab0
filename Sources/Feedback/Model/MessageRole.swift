/// Who speaks in a message. The initial prompt and every user turn are `prompter`; replies are `assistant`.
public enum MessageRole: String, Codable, Sendable, CaseIterable, Hashable {
    case prompter
    case assistant

    /// The role of a reply to a message with this role: turns alternate.
    public var replyRole: MessageRole {
        self == .prompter ? .assistant : .prompter
    }
}
