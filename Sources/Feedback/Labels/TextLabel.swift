/// Every label a reviewer can put on a message (Open Assistant's `TextLabel`), with its widget and display text.
public enum TextLabel: String, Codable, CodingKeyRepresentable, Sendable, CaseIterable, Hashable, Comparable {
    case spam
    case failsTask = "fails_task"
    case langMismatch = "lang_mismatch"
    case pii
    case notAppropriate = "not_appropriate"
    case hateSpeech = "hate_speech"
    case sexualContent = "sexual_content"
    case moralJudgement = "moral_judgement"
    case politicalContent = "political_content"
    case quality
    case toxicity
    case humor
    case helpfulness
    case creativity
    case violence

    public var widget: LabelWidget {
        switch self {
        case .spam, .failsTask:
            return .yesNo
        case .langMismatch, .pii, .notAppropriate, .hateSpeech, .sexualContent, .moralJudgement, .politicalContent:
            return .flag
        case .quality, .toxicity, .humor, .helpfulness, .creativity, .violence:
            return .likert
        }
    }

    public var displayText: String {
        switch self {
        case .spam: return "Seems to be intentionally low-quality or irrelevant"
        case .failsTask: return "Fails to follow the correct instruction / task"
        case .langMismatch: return "Wrong Language"
        case .pii: return "Contains personal identifiable information (PII)"
        case .notAppropriate: return "Inappropriate"
        case .hateSpeech:
            return "Content is abusive or threatening and expresses prejudice against a protected characteristic"
        case .sexualContent: return "Contains sexual content"
        case .moralJudgement: return "Expresses moral judgement"
        case .politicalContent: return "Expresses political views"
        case .quality: return "Overall subjective quality rating of the message"
        case .toxicity: return "Rude, abusive, profane or insulting content"
        case .humor: return "Humorous content including sarcasm"
        case .helpfulness: return "Helpfulness of the message"
        case .creativity: return "Creativity"
        case .violence: return "Violence/abuse/terrorism/self-harm"
        }
    }

    public var helpText: String? {
        switch self {
        case .langMismatch:
            return "The message is written in a language that differs from the currently selected language."
        case .hateSpeech:
            return "Prejudice refers to preconceived views not based on reason. Protected characteristics "
                + "include gender, ethnicity, religion, sexual orientation, and similar characteristics."
        default:
            return nil
        }
    }

    /// The two poles of a five-point scale, bad or "less" pole first (for likert labels only).
    public var likertPoles: (low: String, high: String)? {
        switch self {
        case .quality: return ("Low quality", "High quality")
        case .toxicity: return ("Polite", "Rude")
        case .humor: return ("Serious", "Humorous")
        case .helpfulness: return ("Unhelpful", "Helpful")
        case .creativity: return ("Ordinary", "Creative")
        case .violence: return ("Harmless", "Violent")
        default: return nil
        }
    }

    /// Roles of the messages this label can be asked about. `fails_task` and `helpfulness` judge how a reply
    /// answers a request, so they only make sense for assistant messages.
    public var appliesTo: Set<MessageRole> {
        switch self {
        case .failsTask, .helpfulness: return [.assistant]
        default: return [.prompter, .assistant]
        }
    }

    /// Labels offered in the "Report" dialog.
    public static let reportLabels: [TextLabel] = [
        .spam, .notAppropriate, .pii, .hateSpeech, .sexualContent, .moralJudgement, .politicalContent, .toxicity,
        .violence, .quality,
    ]

    /// Labels offered for free labeling of a message that is not part of a task.
    public static func freeLabels(for role: MessageRole) -> [TextLabel] {
        allCases.filter { $0.appliesTo.contains(role) }
    }

    public static func < (lhs: TextLabel, rhs: TextLabel) -> Bool {
        lhs.declarationIndex < rhs.declarationIndex
    }

    private var declarationIndex: Int { TextLabel.allCases.firstIndex(of: self)! }
}

/// Full labeling asks every label of the message kind; simple asks the mandatory ones plus language and quality.
public enum LabelMode: String, Codable, Sendable, CaseIterable, Hashable {
    case simple
    case full
}
