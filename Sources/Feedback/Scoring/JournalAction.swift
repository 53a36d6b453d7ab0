/// How scored actions are named in the journal. The journal stores names and a small payload so it stays
/// readable in SQL; scores are rebuilt from it through this mapping and nothing else.
public extension ScoredAction {
    /// The action a journal row stands for, or nil when the row earns no points (tree states, reports, ...).
    init?(journalAction action: String, payload: [String: String]) {
        switch action {
        case "wrote_prompt": self = .wrotePrompt
        case "prompt_accepted": self = .promptAccepted
        case "wrote_reply":
            guard let role = payload["role"].flatMap(MessageRole.init(rawValue:)) else { return nil }
            self = .wroteReply(role)
        case "reply_accepted":
            guard let role = payload["role"].flatMap(MessageRole.init(rawValue:)) else { return nil }
            self = .replyAccepted(role)
        case "labeled":
            self = .labeled(payload["mode"].flatMap(LabelMode.init(rawValue:)) ?? .simple)
        case "ranked": self = .ranked
        case "ranking_agreed": self = .rankingAgreedWithConsensus
        case "reply_ranked":
            guard let rank = payload["rank"].flatMap(Int.init) else { return nil }
            self = .replyRankedByConsensus(rank)
        default: return nil
        }
    }

    /// The journal name and payload of the action.
    var journalEntry: (action: String, payload: [String: String]) {
        switch self {
        case .wrotePrompt: return ("wrote_prompt", [:])
        case .promptAccepted: return ("prompt_accepted", [:])
        case .wroteReply(let role): return ("wrote_reply", ["role": role.rawValue])
        case .replyAccepted(let role): return ("reply_accepted", ["role": role.rawValue])
        case .labeled(let mode): return ("labeled", ["mode": mode.rawValue])
        case .ranked: return ("ranked", [:])
        case .rankingAgreedWithConsensus: return ("ranking_agreed", [:])
        case .replyRankedByConsensus(let rank): return ("reply_ranked", ["rank": String(rank)])
        }
    }

    /// Whether the user did this themselves (and so it continues their streak); acceptance and bonuses
    /// arrive later because of what others did.
    var isOwnActivity: Bool {
        switch self {
        case .wrotePrompt, .wroteReply, .labeled, .ranked: return true
        case .promptAccepted, .replyAccepted, .rankingAgreedWithConsensus, .replyRankedByConsensus: return false
        }
    }
}

public extension ScoredAction {
    /// Every action that moves a counter, one per counter: what a rebuild from the journal looks for.
    static let everyCounted: [ScoredAction] = [
        .wrotePrompt, .promptAccepted, .wroteReply(.assistant), .replyAccepted(.assistant), .wroteReply(.prompter),
        .replyAccepted(.prompter), .labeled(.simple), .labeled(.full), .ranked, .rankingAgreedWithConsensus,
        .replyRankedByConsensus(0), .replyRankedByConsensus(1), .replyRankedByConsensus(2),
    ]
}
