import Foundation

/// The task the picker chose. Storage records it and Web renders it.
public enum TaskChoice: Codable, Sendable, Equatable {
    case initialPrompt
    case reply(kind: TaskKind, parentID: UUID, treeID: UUID)
    case label(kind: TaskKind, messageID: UUID, treeID: UUID, labels: LabelSet)
    /// `replyIDs` are shuffled for this contributor; `revealSynthetic` is true only when every reply is model-written.
    case ranking(kind: TaskKind, parentID: UUID, treeID: UUID, replyIDs: [UUID], revealSynthetic: Bool)

    public var kind: TaskKind {
        switch self {
        case .initialPrompt: return .initialPrompt
        case .reply(let kind, _, _), .label(let kind, _, _, _), .ranking(let kind, _, _, _, _): return kind
        }
    }

    /// The message the task is about (the parent for replies and rankings), nil for a new prompt.
    public var subjectMessageID: UUID? {
        switch self {
        case .initialPrompt: return nil
        case .reply(_, let id, _), .label(_, let id, _, _), .ranking(_, let id, _, _, _): return id
        }
    }
}
