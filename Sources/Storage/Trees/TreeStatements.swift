import Foundation
import PostgresNIO

/// The tree reads of every task request and task page, prepared once per pooled connection, for the reason
/// `TaskStatements` gives.
enum TreeStatements {
    /// The active trees of one language in the states that hand out tasks, with their versions, as one row of
    /// arrays, a column each. Every task request reads this listing (about 150 trees), and as rows it cost about a
    /// millisecond more to receive and decode than as one row; `rows` gives them back as rows. A lottery win that
    /// never happened is `false` in `wonLottery`, its time then a placeholder.
    struct ActiveTrees: PreparedQuery {
        static let sql = listing(lang: "$1")
        /// The listing with the language's parameter named `lang`, for statements that read it along with more.
        static func listing(lang: String) -> String {
            """
            SELECT array_agg(id), array_agg(state), array_agg(active), array_agg(lang), array_agg(goal_tree_size::int8),
                   array_agg(max_depth::int8), array_agg(max_children_count::int8), array_agg(won_prompt_lottery_at IS NOT NULL),
                   array_agg(coalesce(won_prompt_lottery_at, 'epoch')), array_agg(version)
            FROM message_trees
            WHERE active AND lang = \(lang) AND state IN ('initial_prompt_review', 'growing', 'ranking', 'ready_for_scoring')
            """
        }
        static let bindingDataTypes: [PostgresDataType] = [.text]
        /// NULL arrays when no tree is listed.
        typealias Row = ([UUID]?, [String]?, [Bool]?, [String]?, [Int]?, [Int]?, [Int]?, [Bool]?, [Date]?, [Int64]?)
        var lang: String

        var bound: [any PostgresThrowingDynamicTypeEncodable] { [lang] }

        func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }

        /// The listing's trees, as `TreeStore.TreeRow.versioned` reads a row.
        static func rows(_ r: Row) -> [TreeStore.TreeRow.VersionedColumns] {
            guard let ids = r.0, let states = r.1, let active = r.2, let langs = r.3, let goals = r.4, let depths = r.5,
                  let children = r.6, let won = r.7, let wonAt = r.8, let versions = r.9 else { return [] }
            return ids.indices.map { i in
                (ids[i], states[i], active[i], langs[i], goals[i], depths[i], children[i], won[i] ? wonAt[i] : nil, versions[i])
            }
        }
    }

    /// The snapshot columns (`SnapshotColumns`) of every message of the given trees, oldest first.
    struct Snapshots: PreparedQuery {
        static let sql = "SELECT \(SnapshotColumns.list) FROM messages m WHERE m.tree_id = ANY($1) ORDER BY m.created_at, m.id"
        static let bindingDataTypes: [PostgresDataType] = [.uuidArray]
        typealias Row = SnapshotColumns.Row
        var treeIDs: [UUID]

        var bound: [any PostgresThrowingDynamicTypeEncodable] { [treeIDs] }

        func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
    }

    /// Every message (`MessageColumns`) of the tree that holds a message.
    struct TreeOfMessage: PreparedQuery {
        static let sql = """
            SELECT \(MessageColumns.list) \(MessageColumns.from) WHERE m.tree_id = (SELECT tree_id FROM messages WHERE id = $1)
            """
        static let bindingDataTypes: [PostgresDataType] = [.uuid]
        typealias Row = MessageColumns.Row
        var messageID: UUID

        var bound: [any PostgresThrowingDynamicTypeEncodable] { [messageID] }

        func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
    }
}
