import Foundation

/// One message as read for an export, with what the options asked for (labels, events) and, once the tree is
/// assembled, its replies best first.
struct ExportedMessage: Sendable {
    var id: UUID
    var treeID: UUID
    var parentID: UUID?
    var authorID: UUID?
    var createdDate: String
    var text: String
    var role: String
    var lang: String
    var reviewCount: Int
    var reviewResult: Bool?
    var deleted: Bool
    var rank: Int?
    var synthetic: Bool
    var modelName: String?
    /// The jsonb text of `messages.emojis`, e.g. `{"+1": 3}`.
    var emojisJSON: String
    var labels: [LabelSummary] = []
    var emojiEvents: [(user: UUID, emoji: String)] = []
    var rankingEvents: [RankingEvent] = []
    var replies: [ExportedMessage] = []

    struct LabelSummary: Sendable {
        var name: String
        var value: Double
        var count: Int
    }

    struct RankingEvent: Sendable {
        var user: UUID
        var rankedMessageIDs: [UUID]
        var notRankable: Bool
    }

    /// Open Assistant writes `review_result` only when it is true or at least three reviews decided it.
    var exportedReviewResult: Bool? {
        guard let reviewResult else { return nil }
        return reviewResult || reviewCount > 2 ? reviewResult : nil
    }

    var hasEmojis: Bool { emojisJSON != "{}" && !emojisJSON.isEmpty }

    /// Emoji counts in the order the jsonb text holds them.
    var emojiCounts: [(String, Int)] {
        guard hasEmojis, let object = try? JSONSerialization.jsonObject(with: Data(emojisJSON.utf8)) as? [String: Any] else { return [] }
        return object.compactMap { key, value in (value as? Int).map { (key, $0) } }.sorted { $0.0 < $1.0 }
    }
}

/// Assembles the messages of one tree into nested replies sorted by rank (unranked last, then oldest first).
enum TreeAssembly {
    /// The root with its reachable replies, or nil when the root itself was filtered out.
    static func tree(rootID: UUID, messages: [ExportedMessage]) -> ExportedMessage? {
        var children: [UUID: [ExportedMessage]] = [:]
        var root: ExportedMessage?
        for message in messages {
            if message.id == rootID { root = message } else if let parent = message.parentID { children[parent, default: []].append(message) }
        }
        guard let root else { return nil }
        return attach(root, children)
    }

    /// Every selected message, parents before children; a message whose parent was filtered out starts a new run.
    static func preOrder(_ messages: [ExportedMessage]) -> [ExportedMessage] {
        let ids = Set(messages.map(\.id))
        var children: [UUID: [ExportedMessage]] = [:]
        var tops: [ExportedMessage] = []
        for message in messages {
            if let parent = message.parentID, ids.contains(parent) { children[parent, default: []].append(message) } else { tops.append(message) }
        }
        var out: [ExportedMessage] = []
        func visit(_ message: ExportedMessage) {
            out.append(message)
            for child in sorted(children[message.id] ?? []) { visit(child) }
        }
        for top in tops { visit(top) }
        return out
    }

    private static func attach(_ message: ExportedMessage, _ children: [UUID: [ExportedMessage]]) -> ExportedMessage {
        var node = message
        node.replies = sorted(children[message.id] ?? []).map { attach($0, children) }
        return node
    }

    /// Stable: siblings of equal rank keep their creation order.
    static func sorted(_ siblings: [ExportedMessage]) -> [ExportedMessage] {
        siblings.enumerated().sorted { a, b in
            let ra = a.element.rank ?? Int.max, rb = b.element.rank ?? Int.max
            return ra != rb ? ra < rb : a.offset < b.offset
        }.map(\.element)
    }
}
