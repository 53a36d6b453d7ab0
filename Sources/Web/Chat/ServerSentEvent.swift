import Foundation
import Storage

/// The text of one Server-Sent Event.
enum ServerSentEvent {
    /// `data` is one line of JSON, so it never needs splitting over several `data:` lines.
    static func format(id: Int, event: String, data: String) -> String {
        "id: \(id)\nevent: \(event)\ndata: \(data)\n\n"
    }

    /// The `done` event carries the whole reply too: its text, and its HTML rendered by cmark in safe mode.
    static func doneData(_ logged: String, final: ChatEntry) -> String {
        var fields = (try? JSONSerialization.jsonObject(with: Data(logged.utf8))) as? [String: Any] ?? [:]
        fields["text"] = final.content
        fields["html"] = Markdown.html(from: final.content)
        fields["state"] = final.state.rawValue
        if let reason = final.finishReason { fields["finish_reason"] = reason }
        let data = (try? JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys])) ?? Data(logged.utf8)
        return String(decoding: data, as: UTF8.self)
    }
}
