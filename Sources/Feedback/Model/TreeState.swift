/// The life cycle of a message tree. Raw values are Open Assistant's strings, so exports and imports agree.
public enum TreeState: String, Codable, Sendable, CaseIterable, Hashable {
    case initialPromptReview = "initial_prompt_review"
    case promptLotteryWaiting = "prompt_lottery_waiting"
    case growing
    case ranking
    case readyForScoring = "ready_for_scoring"
    case scoringFailed = "scoring_failed"
    case readyForExport = "ready_for_export"
    case abortedLowGrade = "aborted_low_grade"
    case haltedByModerator = "halted_by_moderator"
    case backlogRanking = "backlog_ranking"

    /// Entering one of these makes the tree inactive: no task is generated from it any more.
    public var isTerminal: Bool {
        switch self {
        case .readyForExport, .abortedLowGrade, .scoringFailed, .haltedByModerator, .backlogRanking, .promptLotteryWaiting:
            return true
        case .initialPromptReview, .growing, .ranking, .readyForScoring:
            return false
        }
    }

    /// Whether a new reply to a message of a tree in this state is stored. Late replies to completed trees are kept
    /// on purpose (they are never reviewed or ranked); trees under review, waiting, aborted or halted refuse them.
    public var acceptsReplies: Bool {
        switch self {
        case .growing, .ranking, .readyForScoring, .readyForExport:
            return true
        default:
            return false
        }
    }
}
