import Feedback
import Foundation

/// Label values as stored in `labels.values`: only answered labels are keys.
enum LabelJSON {
    static func encode(_ values: LabelValues) -> String {
        var object: [String: Double] = [:]
        for (label, value) in values { object[label.rawValue] = value }
        return String(decoding: (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8), as: UTF8.self)
    }

    static func decode(_ text: String) -> LabelValues {
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else { return [:] }
        var values: LabelValues = [:]
        for (key, value) in object {
            if let label = TextLabel(rawValue: key), let number = value as? Double { values[label] = number }
            else if let label = TextLabel(rawValue: key), let number = value as? Int { values[label] = Double(number) }
        }
        return values
    }
}
