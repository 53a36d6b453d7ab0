import Foundation

/// Why a submission is refused. Each case has Open Assistant's numeric error code and a sentence a contributor
/// can act on, so pages show it instead of failing.
public enum SubmissionError: Error, Sendable, Equatable, CustomStringConvertible {
    case emptyText
    case textTooLong(length: Int, limit: Int)
    case duplicateText
    case duplicateReply
    case treeNotAcceptingReplies(TreeState)
    case labelValueOutOfRange(TextLabel, Double)
    case labelNotOffered(TextLabel)
    case mandatoryLabelMissing(TextLabel)
    case labelTextTooLong(length: Int, limit: Int)
    case selfLabeling
    case alreadyLabeled
    case rankingNotAPermutation
    case rankingNamesForeignReplies
    case selfRanking
    case alreadyRanked
    case tooManyPendingTasks(limit: Int)
    case taskExpired
    case taskNotAssignedToUser
    case taskAlreadyDone
    case taskKindNotAvailable(TaskKind)

    /// Open Assistant's `OasstErrorCode` value.
    public var code: Int {
        switch self {
        case .emptyText: return 1010
        case .textTooLong: return 1008
        case .duplicateText: return 1009
        case .duplicateReply: return 1011
        case .tooManyPendingTasks: return 1012
        case .taskKindNotAvailable: return 1006
        case .treeNotAcceptingReplies: return 2010
        case .labelValueOutOfRange: return 2002
        case .labelNotOffered: return 2051
        case .mandatoryLabelMissing: return 2052
        case .labelTextTooLong: return 2008
        case .selfLabeling, .alreadyLabeled: return 2053
        case .rankingNotAPermutation: return 2003
        case .rankingNamesForeignReplies: return 2011
        case .selfRanking, .alreadyRanked: return 2003
        case .taskExpired: return 2101
        case .taskAlreadyDone: return 2105
        case .taskNotAssignedToUser: return 2106
        }
    }

    public var description: String {
        switch self {
        case .emptyText:
            return "Please write something: the text is empty."
        case .textTooLong(let length, let limit):
            return "The text is \(length) characters long; at most \(limit) are allowed."
        case .duplicateText:
            return "You sent exactly this text a short while ago. Please write something new."
        case .duplicateReply:
            return "You already replied to this message."
        case .treeNotAcceptingReplies(let state):
            return "This conversation no longer takes replies (it is \(state.rawValue.replacingOccurrences(of: "_", with: " ")))."
        case .labelValueOutOfRange(let label, let value):
            return "The answer for “\(label.displayText)” must be between 0 and 1, not \(value)."
        case .labelNotOffered(let label):
            return "“\(label.displayText)” is not asked in this task."
        case .mandatoryLabelMissing(let label):
            return "Please answer “\(label.displayText)”."
        case .labelTextTooLong(let length, let limit):
            return "The note is \(length) characters long; at most \(limit) are allowed."
        case .selfLabeling:
            return "You cannot review your own message."
        case .alreadyLabeled:
            return "You already reviewed this message."
        case .rankingNotAPermutation:
            return "Give every reply exactly one place, from best to worst."
        case .rankingNamesForeignReplies:
            return "The ranking names replies that were not part of this task."
        case .selfRanking:
            return "You cannot rank a set that contains your own reply."
        case .alreadyRanked:
            return "You already ranked these replies."
        case .tooManyPendingTasks(let limit):
            return "You have \(limit) unfinished tasks. Finish or skip one before taking another."
        case .taskExpired:
            return "This task has expired. Please take a new one."
        case .taskNotAssignedToUser:
            return "This task belongs to someone else."
        case .taskAlreadyDone:
            return "This task was already submitted."
        case .taskKindNotAvailable(let kind):
            return "No \(kind.rawValue.replacingOccurrences(of: "_", with: " ")) task is available right now."
        }
    }
}
