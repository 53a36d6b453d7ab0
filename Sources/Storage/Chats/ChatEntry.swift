import Feedback
import Foundation

/// One message of a chat: the user's (`prompter`) or the assistant's, with how it was generated.
public struct ChatEntry: Sendable, Equatable {
    public enum Role: String, Sendable { case prompter, assistant }

    public var id: UUID
    public var chatID: UUID
    public var parentID: UUID?
    public var role: Role
    public var content: String
    public var state: ChatReplyState
    public var error: String?
    /// "stop", "length" or "cancelled" once generation ended.
    public var finishReason: String?
    /// The sampling parameters, preset and system prompt, as JSON.
    public var parametersJSON: String?
    public var seed: String?
    public var model: String?
    public var promptTokens: Int?
    public var completionTokens: Int?
    public var queueSeconds: Double?
    public var promptSeconds: Double?
    public var generationSeconds: Double?
    public var score: Int
    public var draftGroup: UUID?
    public var lastSeq: Int
    public var createdAt: Date

    /// A reply that ran out of tokens can be continued.
    public var isContinuable: Bool { role == .assistant && state == .complete && finishReason == "length" }
}

enum ChatEntryColumns {
    static let list = """
        m.id, m.chat_id, m.parent_id, m.role, m.content, m.state, m.error, m.finish_reason, m.parameters::text,
        m.seed::text, m.model, m.prompt_tokens, m.completion_tokens, m.queue_seconds, m.prompt_seconds,
        m.generation_seconds, m.score::int, m.draft_group, m.last_seq, m.created_at
        """

    typealias Row = (
        UUID, UUID, UUID?, String, String, String, String?, String?, String?, String?, String?, Int?, Int?,
        Double?, Double?, Double?, Int, UUID?, Int, Date
    )

    static func entry(_ row: Row) -> ChatEntry {
        ChatEntry(
            id: row.0, chatID: row.1, parentID: row.2, role: ChatEntry.Role(rawValue: row.3) ?? .prompter, content: row.4,
            state: ChatReplyState(rawValue: row.5) ?? .failed, error: row.6, finishReason: row.7, parametersJSON: row.8,
            seed: row.9, model: row.10, promptTokens: row.11, completionTokens: row.12, queueSeconds: row.13,
            promptSeconds: row.14, generationSeconds: row.15, score: row.16, draftGroup: row.17, lastSeq: row.18, createdAt: row.19
        )
    }
}
