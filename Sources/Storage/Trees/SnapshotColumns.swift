import Feedback
import Foundation
import PostgresNIO

/// The message columns the rules read, and nothing else: every task request reads all active trees of its
/// language, so their snapshots leave out texts and author names, and empty emoji objects are not parsed.
enum SnapshotColumns {
    static let list = """
        m.tree_id, m.id, m.parent_id, m.author_id, m.role, m.depth, m.lang, m.review_count, m.review_result,
        m.deleted, m.synthetic, m.ranking_count, m.rank, NULLIF(m.emojis, '{}'::jsonb)::text
        """

    typealias Row = (UUID, UUID, UUID?, UUID?, String, Int, String, Int, Bool?, Bool, Bool, Int, Int?, String?)

    /// Messages of the given trees, oldest first, grouped by tree.
    static func fetch(treeIDs: [UUID], on connection: PostgresConnection, logger: Logger) async throws -> [UUID: [MessageSnapshot]] {
        var byTree: [UUID: [MessageSnapshot]] = [:]
        let rows = try await connection.query("""
            SELECT \(unescaped: list) FROM messages m WHERE m.tree_id = ANY(\(treeIDs)) ORDER BY m.created_at, m.id
            """, logger: logger)
        for try await row in rows.decode(Row.self) {
            byTree[row.0, default: []].append(MessageSnapshot(
                id: row.1, parentID: row.2, authorID: row.3 ?? unknownAuthor, role: MessageRole(rawValue: row.4) ?? .prompter,
                depth: row.5, lang: row.6, reviewCount: row.7, reviewResult: row.8, deleted: row.9, synthetic: row.10,
                rankingCount: row.11, rank: row.12, emojis: row.13.map(EmojiJSON.decode) ?? [:]))
        }
        return byTree
    }

    /// Stands for a message without an author (an imported one): it matches no contributor.
    private static let unknownAuthor = UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))
}
