/// The labels a label task asks for: `valid` may be answered, `mandatory` must be.
public struct LabelSet: Codable, Sendable, Equatable {
    public var mode: LabelMode
    public var valid: [TextLabel]
    public var mandatory: [TextLabel]

    public init(mode: LabelMode, valid: [TextLabel], mandatory: [TextLabel]) {
        self.mode = mode
        self.valid = valid
        self.mandatory = mandatory
    }
}

extension TreeManagerConfiguration {
    /// The labels of a label task. Simple mode asks the mandatory labels plus `lang_mismatch` (and `quality` for
    /// replies), because those decide acceptance.
    public func labelSet(for kind: TaskKind, mode: LabelMode) -> LabelSet {
        let full: [TextLabel]
        let mandatory: [TextLabel]
        switch kind {
        case .labelAssistantReply:
            full = labelsAssistantReply
            mandatory = mandatoryLabelsAssistantReply
        case .labelPrompterReply:
            full = labelsPrompterReply
            mandatory = mandatoryLabelsPrompterReply
        default:
            full = labelsInitialPrompt
            mandatory = mandatoryLabelsInitialPrompt
        }
        guard mode == .simple else { return LabelSet(mode: .full, valid: full, mandatory: mandatory) }
        var simple = mandatory
        let extras: [TextLabel] = kind == .labelInitialPrompt ? [.langMismatch] : [.langMismatch, .quality]
        for label in extras where !simple.contains(label) { simple.append(label) }
        return LabelSet(mode: .simple, valid: simple, mandatory: mandatory)
    }

    /// Probability that a random label task of this kind is a full one.
    public func pFullLabeling(for kind: TaskKind) -> Double {
        switch kind {
        case .labelAssistantReply: return pFullLabelingReviewReplyAssistant
        case .labelPrompterReply: return pFullLabelingReviewReplyPrompter
        default: return pFullLabelingReviewPrompt
        }
    }
}
