import Feedback
import Foundation
import Storage

/// The label questions of a review task as form fields, and the answers read back. A question left
/// blank is "not answered" and stays absent from the values, never 0.
enum LabelFormView {
    static func fields(for set: LabelSet, form: FormData) -> [[String: Any]] {
        set.valid.map { label in
            let mandatory = set.mandatory.contains(label)
            let chosen = form["label_\(label.rawValue)"]
            var field: [String: Any] = [
                "name": "label_\(label.rawValue)", "text": label.displayText, "mandatory": mandatory,
                "help": label.helpText ?? "",
            ]
            switch label.widget {
            case .yesNo:
                field["yesNo"] = true
                field["options"] = [["value": "1", "text": "Yes", "checked": chosen == "1"], ["value": "0", "text": "No", "checked": chosen == "0"]]
            case .flag:
                field["flag"] = true
                field["checked"] = chosen == "1"
            case .likert:
                field["likert"] = true
                let poles = label.likertPoles
                field["low"] = poles?.low ?? "low"
                field["high"] = poles?.high ?? "high"
                field["options"] = ["0", "0.25", "0.5", "0.75", "1"].enumerated().map { index, value in
                    ["value": value, "text": String(index + 1), "checked": chosen == value]
                }
            }
            return field
        }
    }

    static func values(from form: FormData, labelSet: LabelSet) throws -> LabelValues {
        var raw: [String: String] = [:]
        for label in labelSet.valid {
            if let value = form["label_\(label.rawValue)"] { raw[label.rawValue] = value }
        }
        // Any label field that is not part of the task is refused rather than ignored.
        for name in form.names where name.hasPrefix("label_") {
            let label = String(name.dropFirst("label_".count))
            if !labelSet.valid.map(\.rawValue).contains(label) {
                throw TaskFailure.rejected(TextLabel(rawValue: label).map { .labelNotOffered($0) } ?? .labelValueOutOfRange(.spam, .nan))
            }
        }
        switch LabelValidation.parse(raw) {
        case .failure(let error): throw TaskFailure.rejected(error)
        case .success(let values): return values
        }
    }
}
