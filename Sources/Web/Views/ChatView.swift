import Feedback
import Foundation
import Inference
import Storage

/// Template values for a chat: the branch on screen, with pagers, actions and streaming hooks.
enum ChatView {
    static func id(_ uuid: UUID) -> String { uuid.uuidString.lowercased() }

    /// The chat as the list shows it.
    static func summary(_ chat: Chat, current: UUID? = nil) -> [String: Any] {
        [
            "id": id(chat.id), "title": chat.title ?? "New chat", "hidden": chat.hidden,
            "current": chat.id == current, "date": chat.modifiedAt.formatted(date: .abbreviated, time: .shortened),
        ]
    }

    static func thread(
        _ chat: Chat, messages: [ChatEntry], focus: UUID?, picked: Set<UUID>, readOnly: Bool
    ) -> (values: [[String: Any]], leaf: UUID?, active: Bool) {
        let byID = Dictionary(uniqueKeysWithValues: messages.map { ($0.id, $0) })
        let steps = ChatBranches(messages.map { .init(id: $0.id, parent: $0.parentID) }).path(through: focus)
        var values: [[String: Any]] = []
        var active = false
        for step in steps {
            guard let entry = byID[step.id] else { continue }
            var value = message(entry, chat: chat, readOnly: readOnly)
            value["position"] = step.position
            value["siblingCount"] = step.siblingCount
            value["hasSiblings"] = step.siblingCount > 1
            value["previousID"] = step.previous.map(id) ?? ""
            value["nextID"] = step.next.map(id) ?? ""
            value["hasPrevious"] = step.previous != nil
            value["hasNext"] = step.next != nil
            if let group = entry.draftGroup, !picked.contains(group), !readOnly {
                let drafts = messages.filter { $0.draftGroup == group }
                if drafts.count > 1 {
                    value["hasDrafts"] = true
                    value["drafts"] = drafts.enumerated().map { index, draft -> [String: Any] in
                        var d = message(draft, chat: chat, readOnly: readOnly)
                        d["number"] = index + 1
                        return d
                    }
                    active = active || drafts.contains { $0.state.isActive }
                }
            }
            active = active || entry.state.isActive
            values.append(value)
        }
        return (values, steps.last?.id, active)
    }

    static func message(_ entry: ChatEntry, chat: Chat, readOnly: Bool) -> [String: Any] {
        var value: [String: Any] = [
            "id": id(entry.id), "chatID": id(chat.id), "isAssistant": entry.role == .assistant,
            "html": Markdown.html(from: entry.content), "text": entry.content, "readOnly": readOnly,
            "active": entry.state.isActive, "lastSeq": entry.lastSeq,
        ]
        if let parent = entry.parentID { value["parentID"] = id(parent) }
        if let caption = entry.state.caption { value["caption"] = caption }
        if let error = entry.error { value["error"] = error }
        guard entry.role == .assistant else { return value }
        value["canRetry"] = !entry.state.isActive && !readOnly
        value["canContinue"] = entry.isContinuable && !readOnly
        value["cutOff"] = entry.isContinuable
        value["canVote"] = !entry.state.isActive && !readOnly
        value["thumbsUp"] = entry.score > 0
        value["thumbsDown"] = entry.score < 0
        value["endedEarly"] = entry.state.endedEarly
        var details: [String] = []
        if let model = entry.model { details.append(model) }
        let parameters = ReplyParameters.decode(entry.parametersJSON)
        if let preset = parameters.preset { details.append(preset) }
        if let tokens = entry.completionTokens { details.append("\(tokens) tokens") }
        if let seconds = entry.generationSeconds, let tokens = entry.completionTokens, seconds > 0, tokens > 1 {
            details.append(String(format: "%.1f tokens/s", Double(tokens - 1) / seconds))
        }
        if let seed = entry.seed { details.append("seed \(seed)") }
        value["details"] = details.joined(separator: " · ")
        return value
    }

    static func presets(selected: String) -> [[String: Any]] {
        SamplingPreset.openAssistant.map { ["name": $0.name, "selected": $0.name == selected] }
    }
}
