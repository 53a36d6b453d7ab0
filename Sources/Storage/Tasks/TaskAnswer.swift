import Feedback
import Foundation

/// What a contributor handed in for a task, read from the form once the task it answers is known.
public enum TaskAnswer: Sendable {
    /// A written prompt or reply.
    case text(String)
    /// A review: label values (unanswered labels absent) and an optional note.
    case labels(LabelValues, note: String?)
    /// The offered replies, best first.
    case ranking([UUID], notRankable: Bool)
}
