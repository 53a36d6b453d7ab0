import Foundation
import PostgresNIO

/// The tree reads of every task request and task page, prepared once per pooled connection, for the reason
/// `TaskStatements` gives.
enum TreeStatements {
    /// The active trees of one language in the states that hand out tasks, with their versions.
    struct ActiveTrees: PreparedQuery {
        static let sql = """
            SELECT \(TreeStore.TreeRow.versionedColumnList) FROM message_trees
            WHERE active AND lang = $1 AND state IN ('initial_prompt_review', 'growing', 'ranking', 'ready_for_scoring')
            """
        static let bindingDataTypes: [PostgresDataType] = [.text]
        typealias Row = TreeStore.TreeRow.VersionedColumns
        var lang: String

        var bound: [any PostgresThrowingDynamicTypeEncodable] { [lang] }

        func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
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
