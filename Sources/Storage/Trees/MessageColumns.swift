import Feedback
import Foundation
import PostgresNIO

/// The one SELECT list for messages, so every query decodes them the same way.
enum MessageColumns {
    static let list = """
        m.id, m.tree_id, m.parent_id, m.role, m.text, m.lang, m.depth, m.author_id, u.display_name,
        m.review_count, m.review_result, m.ranking_count, m.rank, m.deleted, m.synthetic, m.model_name,
        m.emojis::text, m.created_at
        """
    static let from = "FROM messages m LEFT JOIN users u ON u.id = m.author_id"

    typealias Row = (UUID, UUID, UUID?, String, String, String, Int, UUID?, String?, Int, Bool?, Int, Int?, Bool, Bool, String?, String, Date)

    static func message(_ row: Row) -> StoredMessage {
        StoredMessage(
            id: row.0, treeID: row.1, parentID: row.2, role: MessageRole(rawValue: row.3) ?? .prompter, text: row.4,
            lang: row.5, depth: row.6, authorID: row.7, authorName: row.8, reviewCount: row.9, reviewResult: row.10,
            rankingCount: row.11, rank: row.12, deleted: row.13, synthetic: row.14, modelName: row.15,
            emojis: EmojiJSON.decode(row.16), createdAt: row.17
        )
    }

    static func fetch(_ connection: PostgresConnection, _ query: PostgresQuery, logger: Logger) async throws -> [StoredMessage] {
        var messages: [StoredMessage] = []
        for try await row in try await connection.query(query, logger: logger).decode(Row.self) {
            messages.append(message(row))
        }
        return messages
    }
}
