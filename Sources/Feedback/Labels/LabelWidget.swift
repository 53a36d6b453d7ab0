/// How a label is asked for. Every answer is stored as a value in 0...1 where 1 means "more of the label".
public enum LabelWidget: String, Codable, Sendable, CaseIterable, Hashable {
    /// A required question answered Yes (1) or No (0).
    case yesNo = "yes_no"
    /// A toggle: 1 when raised. Not raising it is "not answered", never 0.
    case flag
    /// Five points mapped to 0, 0.25, 0.5, 0.75, 1.
    case likert

    /// The values a form may offer for this widget.
    public var offeredValues: [Double] {
        switch self {
        case .yesNo: return [0, 1]
        case .flag: return [1]
        case .likert: return [0, 0.25, 0.5, 0.75, 1]
        }
    }
}
