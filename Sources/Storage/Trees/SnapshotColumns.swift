import Feedback
import Foundation
import PostgresNIO

/// The message columns the rules read, and nothing else: every task request reads all active trees of its
/// language, so their snapshots leave out texts and author names, and empty emoji objects are not parsed.
/// Each message row carries the rankings of its replies as a JSON array, so a tree's messages and rankings
/// come in one round trip: a submit reads its tree while holding the tree's lock, and others wait for it.
enum SnapshotColumns {
    static let list = """
        m.tree_id, m.id, m.parent_id, m.author_id, m.role, m.depth, m.lang, m.review_count, m.review_result,
        m.deleted, m.synthetic, m.ranking_count, m.rank, NULLIF(m.emojis, '{}'::jsonb)::text,
        (SELECT json_agg(json_build_object('userID', r.user_id, 'rankedMessageIDs', r.ranked_message_ids, 'notRankable', r.not_rankable)
                         ORDER BY r.created_at, r.id)
           FROM rankings r WHERE r.parent_message_id = m.id)::text
        """

    typealias Row = (UUID, UUID, UUID?, UUID?, String, Int, String, Int, Bool?, Bool, Bool, Int, Int?, String?, String?)

    struct Contents {
        var messages: [MessageSnapshot] = []
        var rankings: [RankingSubmission] = []
    }

    /// A ranking as the JSON of `list` has it; its parent is the row's message.
    private struct StoredRanking: Decodable {
        let userID: UUID
        let rankedMessageIDs: [UUID]
        let notRankable: Bool
    }

    /// Messages (oldest first) and rankings of the given trees, by tree.
    static func fetch(treeIDs: [UUID], on connection: PostgresConnection, logger: Logger) async throws -> [UUID: Contents] {
        var byTree: [UUID: Contents] = [:]
        let decoder = JSONDecoder()
        for try await row in try await connection.execute(TreeStatements.Snapshots(treeIDs: treeIDs), logger: logger) {
            var contents = byTree[row.0, default: Contents()]
            contents.messages.append(MessageSnapshot(
                id: row.1, parentID: row.2, authorID: row.3 ?? unknownAuthor, role: MessageRole(rawValue: row.4) ?? .prompter,
                depth: row.5, lang: row.6, reviewCount: row.7, reviewResult: row.8, deleted: row.9, synthetic: row.10,
                rankingCount: row.11, rank: row.12, emojis: row.13.map(EmojiJSON.decode) ?? [:]))
            if let json = row.14 {
                for stored in try decoder.decode([StoredRanking].self, from: Data(json.utf8)) {
                    contents.rankings.append(RankingSubmission(
                        parentID: row.1, userID: stored.userID, rankedMessageIDs: stored.rankedMessageIDs, notRankable: stored.notRankable))
                }
            }
            byTree[row.0] = contents
        }
        return byTree
    }

    /// Stands for a message without an author (an imported one): it matches no contributor.
    private static let unknownAuthor = UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))
}
