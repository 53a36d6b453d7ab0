import Foundation

public enum LabelValidation {
    /// Checks the answers of a label task against its label set. Labels the reviewer did not answer are simply
    /// absent from `values`; only the mandatory ones must be there.
    public static func validate(
        _ values: LabelValues, against set: LabelSet, text: String? = nil, _ limits: SubmissionLimits = .default
    ) -> SubmissionError? {
        for (label, value) in values.sorted(by: { $0.key < $1.key }) {
            if !set.valid.contains(label) { return .labelNotOffered(label) }
            if !value.isFinite || value < 0 || value > 1 { return .labelValueOutOfRange(label, value) }
        }
        for label in set.mandatory where values[label] == nil {
            return .mandatoryLabelMissing(label)
        }
        if let text, text.count > limits.labelTextLimit {
            return .labelTextTooLong(length: text.count, limit: limits.labelTextLimit)
        }
        return nil
    }

    /// Free labeling and reports: any label that applies to the role, values in 0...1, nothing mandatory.
    public static func validateFree(
        _ values: LabelValues, role: MessageRole, text: String? = nil, _ limits: SubmissionLimits = .default
    ) -> SubmissionError? {
        validate(values, against: LabelSet(mode: .full, valid: TextLabel.freeLabels(for: role), mandatory: []),
            text: text, limits)
    }

    /// A task review of someone else's message, not reviewed by this user before.
    public static func validateReviewer(
        _ userID: UUID, of message: MessageSnapshot, alreadyLabeledByUser: Bool
    ) -> SubmissionError? {
        if message.authorID == userID { return .selfLabeling }
        if alreadyLabeledByUser { return .alreadyLabeled }
        return nil
    }

    /// Parses form values ("0", "0.25", "1", or empty for "not answered") into label values.
    public static func parse(_ form: [String: String]) -> Result<LabelValues, SubmissionError> {
        var values: LabelValues = [:]
        for (name, raw) in form {
            guard let label = TextLabel(rawValue: name) else { continue }
            let trimmed = raw.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { continue }
            guard let value = Double(trimmed) else { return .failure(.labelValueOutOfRange(label, .nan)) }
            values[label] = value
        }
        return .success(values)
    }
}
