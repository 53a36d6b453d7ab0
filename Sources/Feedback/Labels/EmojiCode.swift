/// Reactions on a message. The underscore codes are hidden, per-user markers written when a task is skipped;
/// they keep the skipped message away from that user's tasks of the same kind.
public enum EmojiCode: String, Codable, CodingKeyRepresentable, Sendable, CaseIterable, Hashable {
    case thumbsUp = "+1"
    case thumbsDown = "-1"
    case redFlag = "red_flag"
    case hundred = "100"
    case rofl
    case clap
    case diamond
    case heartEyes = "heart_eyes"
    case disappointed
    case poop
    case skull
    case skipReply = "_skip_reply"
    case skipRanking = "_skip_ranking"
    case skipLabeling = "_skip_labeling"

    /// Skip markers are written by the task system, never toggled by a person.
    public var isSkipMarker: Bool {
        self == .skipReply || self == .skipRanking || self == .skipLabeling
    }

    /// The thumb a user loses when giving this one: +1 and -1 are mutually exclusive per user.
    public var excludes: EmojiCode? {
        switch self {
        case .thumbsUp: return .thumbsDown
        case .thumbsDown: return .thumbsUp
        default: return nil
        }
    }

    /// The skip marker for a skipped task of the given kind.
    public static func skipMarker(for kind: TaskKind) -> EmojiCode? {
        switch kind.taskClass {
        case .reply: return .skipReply
        case .ranking: return .skipRanking
        case .labelReply, .labelPrompt: return .skipLabeling
        case .prompt: return nil
        }
    }
}
