import Foundation

/// One message as read for an export, with what the options asked for (labels, events) and, once the tree is
/// assembled, its replies best first.
struct ExportedMessage: Sendable {
    var id: UUID
    var treeID: UUID
    var parentID: UUID?
    var authorID: UUID?
    var createdAt: PostgresTimestamp
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

    /// Emoji counts sorted by name.
    var emojiCounts: [(String, Int)] {
        guard hasEmojis else { return [] }
        var text = emojisJSON
        var counts: [(String, Int)] = []
        text.withUTF8 { bytes in
            var reader = JSONReader(bytes)
            try? reader.object { name, reader in
                guard try reader.peek() == .number else { return try reader.skip() }
                if let count = Int(exactly: try reader.double()) { counts.append((name, count)) }
            }
        }
        return counts.sorted { $0.0 < $1.0 }
    }
}
