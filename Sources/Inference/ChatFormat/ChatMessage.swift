/// One turn of a conversation as the model sees it.
public struct ChatMessage: Codable, Sendable, Hashable {
    /// Open Assistant calls the user "prompter"; the formats map these to their own words.
    public enum Role: String, Codable, Sendable, Hashable {
        case system, user, assistant
    }

    public var role: Role
    public var content: String

    public init(role: Role, content: String) {
        self.role = role
        self.content = content
    }

    public static func system(_ content: String) -> ChatMessage { .init(role: .system, content: content) }
    public static func user(_ content: String) -> ChatMessage { .init(role: .user, content: content) }
    public static func assistant(_ content: String) -> ChatMessage { .init(role: .assistant, content: content) }
}
