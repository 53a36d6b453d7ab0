import Foundation
import Storage

/// A chat's branch on screen, written out for the user to keep: markdown to read, JSON for programs.
enum ChatTranscript {
    static func markdown(_ chat: Chat, branch: [ChatEntry]) -> String {
        var out = "# \(chat.title ?? "Chat")\n\n"
        if let system = chat.systemPrompt { out += "_System prompt:_ \(system)\n\n" }
        for entry in branch {
            out += entry.role == .prompter ? "## You\n\n" : "## Assistant\n\n"
            out += entry.content + "\n\n"
        }
        return out
    }

    static func json(_ chat: Chat, branch: [ChatEntry]) -> String {
        let messages: [[String: Any]] = branch.map { entry in
            var message: [String: Any] = [
                "id": ChatView.id(entry.id), "role": entry.role == .prompter ? "user" : "assistant", "content": entry.content,
                "created_at": ISO8601DateFormatter().string(from: entry.createdAt), "state": entry.state.rawValue,
            ]
            if let model = entry.model { message["model"] = model }
            if let seed = entry.seed { message["seed"] = seed }
            if let parameters = entry.parametersJSON, let object = try? JSONSerialization.jsonObject(with: Data(parameters.utf8)) {
                message["parameters"] = object
            }
            if entry.role == .assistant { message["score"] = entry.score }
            return message
        }
        var object: [String: Any] = [
            "id": ChatView.id(chat.id), "title": chat.title.map { $0 as Any } ?? NSNull(), "messages": messages,
            "created_at": ISO8601DateFormatter().string(from: chat.createdAt),
        ]
        if let system = chat.systemPrompt { object["system_prompt"] = system }
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
