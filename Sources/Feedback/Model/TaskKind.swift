/// The kinds of task a contributor can be given. Raw values are Open Assistant's `TaskRequestType` strings.
public enum TaskKind: String, Codable, Sendable, CaseIterable, Hashable {
    case initialPrompt = "initial_prompt"
    case prompterReply = "prompter_reply"
    case assistantReply = "assistant_reply"
    /// Legacy: part of the protocol, never generated (its availability is always 0).
    case rankInitialPrompts = "rank_initial_prompts"
    case rankPrompterReplies = "rank_prompter_replies"
    case rankAssistantReplies = "rank_assistant_replies"
    case labelInitialPrompt = "label_initial_prompt"
    case labelPrompterReply = "label_prompter_reply"
    case labelAssistantReply = "label_assistant_reply"

    /// The weighted class the random picker chooses between.
    public var taskClass: TaskClass {
        switch self {
        case .initialPrompt: return .prompt
        case .prompterReply, .assistantReply: return .reply
        case .rankInitialPrompts, .rankPrompterReplies, .rankAssistantReplies: return .ranking
        case .labelInitialPrompt: return .labelPrompt
        case .labelPrompterReply, .labelAssistantReply: return .labelReply
        }
    }

    /// The role of the message this task produces, ranks or labels (nil for legacy prompt ranking).
    public var messageRole: MessageRole? {
        switch self {
        case .initialPrompt, .prompterReply, .rankPrompterReplies, .labelInitialPrompt, .labelPrompterReply:
            return .prompter
        case .assistantReply, .rankAssistantReplies, .labelAssistantReply:
            return .assistant
        case .rankInitialPrompts:
            return nil
        }
    }

    /// The kind of reply task for a parent with the given role.
    public static func reply(toParent parentRole: MessageRole) -> TaskKind {
        parentRole == .prompter ? .assistantReply : .prompterReply
    }

    /// The kind of ranking task for a set of siblings with the given role.
    public static func ranking(of replyRole: MessageRole) -> TaskKind {
        replyRole == .assistant ? .rankAssistantReplies : .rankPrompterReplies
    }

    /// The kind of label task for a message.
    public static func label(role: MessageRole, isRoot: Bool) -> TaskKind {
        if isRoot { return .labelInitialPrompt }
        return role == .assistant ? .labelAssistantReply : .labelPrompterReply
    }
}

/// The five classes weighted by the random task picker (ranking 10, label reply 5, label prompt 5, reply 2, prompt 0.01).
public enum TaskClass: String, Codable, Sendable, CaseIterable, Hashable {
    case ranking
    case labelReply = "label_reply"
    case labelPrompt = "label_prompt"
    case reply
    case prompt
}
