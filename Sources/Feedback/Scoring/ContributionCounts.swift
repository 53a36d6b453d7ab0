/// A contributor's counters for one time frame. The leader score is computed from them, never stored by hand.
public struct ContributionCounts: Codable, Sendable, Equatable {
    public var prompts = 0
    public var acceptedPrompts = 0
    public var repliesAssistant = 0
    public var acceptedRepliesAssistant = 0
    public var repliesPrompter = 0
    public var acceptedRepliesPrompter = 0
    public var labelsSimple = 0
    public var labelsFull = 0
    public var rankingsTotal = 0
    /// Rankings that agree with the consensus (positive Kendall tau). Open Assistant declared but never filled this.
    public var rankingsGood = 0
    /// How often the user's replies came 1st, 2nd, 3rd among their siblings by *consensus* rank.
    public var replyRanked1 = 0
    public var replyRanked2 = 0
    public var replyRanked3 = 0

    public init() {}

    /// Adds one journal action.
    public mutating func record(_ action: ScoredAction) {
        switch action {
        case .wrotePrompt: prompts += 1
        case .promptAccepted: acceptedPrompts += 1
        case .wroteReply(.assistant): repliesAssistant += 1
        case .wroteReply(.prompter): repliesPrompter += 1
        case .replyAccepted(.assistant): acceptedRepliesAssistant += 1
        case .replyAccepted(.prompter): acceptedRepliesPrompter += 1
        case .labeled(.simple): labelsSimple += 1
        case .labeled(.full): labelsFull += 1
        case .ranked: rankingsTotal += 1
        case .rankingAgreedWithConsensus: rankingsGood += 1
        case .replyRankedByConsensus(let rank):
            switch rank {
            case 0: replyRanked1 += 1
            case 1: replyRanked2 += 1
            case 2: replyRanked3 += 1
            default: break
            }
        }
    }

    public func recording(_ actions: [ScoredAction]) -> ContributionCounts {
        var copy = self
        for action in actions { copy.record(action) }
        return copy
    }

    public static func + (lhs: ContributionCounts, rhs: ContributionCounts) -> ContributionCounts {
        var sum = ContributionCounts()
        sum.prompts = lhs.prompts + rhs.prompts
        sum.acceptedPrompts = lhs.acceptedPrompts + rhs.acceptedPrompts
        sum.repliesAssistant = lhs.repliesAssistant + rhs.repliesAssistant
        sum.acceptedRepliesAssistant = lhs.acceptedRepliesAssistant + rhs.acceptedRepliesAssistant
        sum.repliesPrompter = lhs.repliesPrompter + rhs.repliesPrompter
        sum.acceptedRepliesPrompter = lhs.acceptedRepliesPrompter + rhs.acceptedRepliesPrompter
        sum.labelsSimple = lhs.labelsSimple + rhs.labelsSimple
        sum.labelsFull = lhs.labelsFull + rhs.labelsFull
        sum.rankingsTotal = lhs.rankingsTotal + rhs.rankingsTotal
        sum.rankingsGood = lhs.rankingsGood + rhs.rankingsGood
        sum.replyRanked1 = lhs.replyRanked1 + rhs.replyRanked1
        sum.replyRanked2 = lhs.replyRanked2 + rhs.replyRanked2
        sum.replyRanked3 = lhs.replyRanked3 + rhs.replyRanked3
        return sum
    }
}

/// A scored action from the journal. Acceptance and consensus arrive later than the write, as their own actions.
public enum ScoredAction: Codable, Sendable, Equatable, Hashable {
    case wrotePrompt
    case promptAccepted
    case wroteReply(MessageRole)
    case replyAccepted(MessageRole)
    case labeled(LabelMode)
    case ranked
    /// The ranking bonus, granted when the tree is scored and the ranking agrees with the consensus.
    case rankingAgreedWithConsensus
    /// The reply bonus, granted when the tree is scored: the reply's consensus rank among its siblings (0 = best).
    case replyRankedByConsensus(Int)
}
