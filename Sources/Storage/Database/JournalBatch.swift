import Foundation
import PostgresNIO

/// The journal rows a transaction writes, inserted together: by its last write statement, or by one statement
/// just before it commits.
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
        guard let json = try take() else { return }
        try await connection.query("SELECT journal_append(\(json)::jsonb)", logger: logger)
    }

    /// The rows added so far as the JSON array `journal_append` takes, and forgets them; nil when there are none.
    private func take() throws -> String? {
        let pending = lock.withLock { () -> [Row] in
            defer { rows.removeAll() }
            return rows
        }
        guard !pending.isEmpty else { return nil }
        return String(decoding: try JSONEncoder().encode(pending), as: UTF8.self)
    }

    /// The current transaction's rows so far, for a write statement to append with `journal_append` (they are
    /// then not inserted again at the commit); an empty array outside a transaction, where `Journal` inserts
    /// each row at once.
    static func takeCurrent() throws -> String {
        try current?.take() ?? "[]"
    }
}
