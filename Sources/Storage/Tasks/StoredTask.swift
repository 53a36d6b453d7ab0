import Feedback
import Foundation

/// A task handed to one user, with what they were shown.
public struct StoredTask: Sendable, Equatable {
    public var id: UUID
    public var userID: UUID
    public var choice: TaskChoice
    public var createdAt: Date
    public var expiresAt: Date
    public var done: Bool
    public var skipped: Bool

    public var kind: TaskKind { choice.kind }
}

/// Why a task request or submission could not be taken, in words for the page.
public enum TaskFailure: Error, Equatable, CustomStringConvertible {
    case rejected(SubmissionError)
    case nothingAvailable(TaskKind?)
    case notFound
    case treeChanged

    public var description: String {
        switch self {
        case .rejected(let error): return error.description
        case .nothingAvailable(let kind?): return "There is no “\(kind.rawValue.replacingOccurrences(of: "_", with: " "))” task for you right now. Try another kind, or come back later."
        case .nothingAvailable(nil): return "There is no task for you right now. Thank you for helping — please come back later."
        case .notFound: return "This task does not exist or is not yours."
        case .treeChanged: return "This conversation changed while you were working on it and no longer takes this contribution. Please take the next task."
        }
    }
}
