import Feedback
import Foundation
import Storage

/// Template values for messages: text rendered by cmark (safe mode), role names for people.
enum MessageView {
    static func values(_ message: StoredMessage, showModeration: Bool = false) -> [String: Any] {
        var values: [String: Any] = [
            "id": message.id.uuidString.lowercased(),
            "html": Markdown.html(from: message.text),
            "isAssistant": message.role == .assistant,
            "roleName": message.role == .assistant ? "Assistant" : "User",
            "author": message.authorName ?? "Anonymous",
            "thumbsUp": message.emojis[.thumbsUp] ?? 0,
            "thumbsDown": message.emojis[.thumbsDown] ?? 0,
            "depth": message.depth,
        ]
        if let rank = message.rank { values["rank"] = rank + 1 }
        if message.synthetic { values["modelName"] = message.modelName ?? "a model" }
        if showModeration {
            if message.deleted { values["deleted"] = true }
            if message.reviewResult == false { values["spam"] = true }
            values["redFlags"] = message.emojis[.redFlag] ?? 0
        }
        return values
    }

    static func conversation(_ messages: [StoredMessage]) -> [[String: Any]] {
        messages.map { values($0) }
    }
}

/// Names of task kinds as contributors read them.
enum TaskKindText {
    static func title(_ kind: TaskKind) -> String {
        switch kind {
        case .initialPrompt: return "Write an initial prompt"
        case .prompterReply: return "Reply as the user"
        case .assistantReply: return "Reply as the assistant"
        case .rankAssistantReplies: return "Rank assistant replies"
        case .rankPrompterReplies: return "Rank user replies"
        case .rankInitialPrompts: return "Rank initial prompts"
        case .labelInitialPrompt: return "Label an initial prompt"
        case .labelPrompterReply: return "Label a user reply"
        case .labelAssistantReply: return "Label an assistant reply"
        }
    }

    static func help(_ kind: TaskKind) -> String {
        switch kind {
        case .initialPrompt: return "Start a new conversation: ask something a person would ask an assistant."
        case .prompterReply: return "Continue the conversation as the user would: follow up, clarify or ask something new."
        case .assistantReply: return "Write the reply you would want from a helpful, honest and harmless assistant."
        case .rankAssistantReplies, .rankPrompterReplies, .rankInitialPrompts: return "Put the replies in order, best first."
        case .labelInitialPrompt, .labelPrompterReply, .labelAssistantReply: return "Tell us about the highlighted message. Spam is required; leave a question blank if you are unsure."
        }
    }

    /// The kinds a person can pick on the task page (initial-prompt ranking is never handed out).
    static let pickable: [TaskKind] = [.initialPrompt, .assistantReply, .prompterReply, .rankAssistantReplies, .labelInitialPrompt, .labelAssistantReply, .labelPrompterReply]
}
