import Foundation

/// The training views of an exported tree, following Open Assistant's `load_oasst_export`
/// (model/model_training/custom_datasets/oasst_dataset.py): the tree has already been filtered to accepted,
/// non-deleted messages, so what is left is how threads are cut from it.
enum TrainingViews {
    static let prompterToken = "<|prompter|>"
    static let assistantToken = "<|assistant|>"
    static let endOfText = "<|endoftext|>"

    /// SFT: every root-to-leaf thread that ends on an assistant reply. A thread ending on a prompter leaf is used
    /// without that last turn, but only through the first (best-ranked) such leaf, so the same prefix never
    /// appears twice. With `topK`, a thread qualifies only if every ranked message in it ranks below `topK`.
    static func sftThreads(_ root: ExportedMessage, topK: Int?) -> [[ExportedMessage]] {
        var threads: [[ExportedMessage]] = []
        var path: [ExportedMessage] = []
        func visit(_ node: ExportedMessage, isFirstReply: Bool) {
            path.append(node)
            defer { path.removeLast() }
            if node.replies.isEmpty {
                guard path.count > 1, withinTopK(path, topK) else { return }
                if node.role == "assistant" {
                    threads.append(path)
                } else if isFirstReply {
                    let trimmed = Array(path.dropLast())
                    if trimmed.count > 1 { threads.append(trimmed) }
                }
                return
            }
            for (index, reply) in node.replies.enumerated() { visit(reply, isFirstReply: index == 0) }
        }
        visit(root, isFirstReply: true)
        return threads
    }

    /// Reward-model groups: every prefix ending on a prompter message that has at least two ranked replies,
    /// with those replies best first.
    static func rankedGroups(_ root: ExportedMessage, topK: Int?) -> [(prefix: [ExportedMessage], replies: [ExportedMessage])] {
        var groups: [(prefix: [ExportedMessage], replies: [ExportedMessage])] = []
        var path: [ExportedMessage] = []
        func visit(_ node: ExportedMessage) {
            path.append(node)
            defer { path.removeLast() }
            if node.role == "prompter", withinTopK(path, topK) {
                let ranked = node.replies.filter { $0.rank != nil }.sorted { $0.rank! < $1.rank! }
                if ranked.count > 1 { groups.append((path, ranked)) }
            }
            for reply in node.replies { visit(reply) }
        }
        visit(root)
        return groups
    }

    static func withinTopK(_ thread: [ExportedMessage], _ topK: Int?) -> Bool {
        guard let topK else { return true }
        return thread.allSatisfy { ($0.rank ?? 0) < topK }
    }

    /// `<|prompter|>…<|endoftext|><|assistant|>…<|endoftext|>…`, the format Open Assistant's SFT models learned.
    static func dialogue(_ thread: [ExportedMessage]) -> String {
        thread.map { ($0.role == "assistant" ? assistantToken : prompterToken) + $0.text + endOfText }.joined()
    }

    static func sftLine(_ thread: [ExportedMessage]) -> [UInt8] {
        var json = JSONLine()
        json.beginObject()
        json.member("text", dialogue(thread))
        json.key("messages")
        json.beginArray()
        for message in thread {
            json.beginObject()
            json.member("role", message.role == "assistant" ? "assistant" : "user")
            json.member("content", message.text)
            json.endObject()
        }
        json.endArray()
        json.endObject()
        return json.bytes
    }

    /// Every ordered pair of a ranked group: the better reply is `chosen`. The prompt is the conversation up to
    /// the parent, opened for the assistant's turn, so `prompt + chosen` is a complete training sample.
    static func pairLines(prefix: [ExportedMessage], replies: [ExportedMessage]) -> [[UInt8]] {
        let prompt = dialogue(prefix) + assistantToken
        var lines: [[UInt8]] = []
        for better in replies.indices {
            for worse in replies.indices where worse > better && replies[worse].rank != replies[better].rank {
                var json = JSONLine()
                json.beginObject()
                json.member("prompt", prompt)
                json.member("chosen", replies[better].text)
                json.member("rejected", replies[worse].text)
                json.endObject()
                lines.append(json.bytes)
            }
        }
        return lines
    }
}
