import Foundation
import PostgresNIO

/// The journal rows a transaction writes, inserted together by one statement just before it commits.
///
/// A submission journals its action, any acceptance and state change, and, when it completes a tree, a bonus
/// for each ranker and author. Each was a round trip of its own while the tree row stayed locked, and other
/// contributors' submits to that tree waited for all of them. The rows keep their order and land in the same
/// transaction, so nothing outside it can tell the difference.
final class JournalBatch: @unchecked Sendable {
    @TaskLocal static var current: JournalBatch?

    struct Row: Encodable {
        let userID: UUID?
        let action: String
        let messageID: UUID?
        let treeID: UUID?
        let taskID: UUID?
        let payload: [String: String]
    }

    private let lock = NSLock()
    private var rows: [Row] = []

    func add(_ row: Row) {
        lock.withLock { rows.append(row) }
    }

    /// Inserts every row added so far, in the order they were added.
    func flush(on connection: PostgresConnection, logger: Logger) async throws {
        let pending = lock.withLock { () -> [Row] in
            defer { rows.removeAll() }
            return rows
        }
        guard !pending.isEmpty else { return }
        let json = String(decoding: try JSONEncoder().encode(pending), as: UTF8.self)
        try await connection.query("""
            INSERT INTO journal (user_id, action, message_id, tree_id, task_id, payload)
            SELECT (e.row->>'userID')::uuid, e.row->>'action', (e.row->>'messageID')::uuid, (e.row->>'treeID')::uuid,
                   (e.row->>'taskID')::uuid, e.row->'payload'
            FROM jsonb_array_elements(\(json)::jsonb) WITH ORDINALITY AS e(row, n)
            ORDER BY e.n
            """, logger: logger)
    }
}
