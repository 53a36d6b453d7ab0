import Feedback
import Foundation
import PostgresNIO

/// Reported and automatically flagged messages waiting for a moderator, oldest first.
public struct FlagQueue: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    public struct Item: Sendable {
        public var messageID: UUID
        public var treeID: UUID
        public var reason: String
        public var reporterName: String?
        public var flaggedAt: Date
        /// Every report's reason for this message, oldest first.
        public var reports: [String]
    }

    public func pending(limit: Int = 20) async throws -> [Item] {
        try await database.withConnection { connection in
            var items: [Item] = []
            for try await row in try await connection.query("""
                SELECT f.message_id, m.tree_id, coalesce(f.reason, ''), u.display_name, f.created_at,
                       coalesce(ARRAY(SELECT coalesce(l.text, '') FROM labels l WHERE l.message_id = f.message_id AND l.kind = 'report'
                                      ORDER BY l.created_at), '{}')
                FROM flagged_messages f JOIN messages m ON m.id = f.message_id LEFT JOIN users u ON u.id = f.reported_by
                WHERE NOT f.processed ORDER BY f.created_at, f.message_id LIMIT \(limit)
                """, logger: database.logger).decode((UUID, UUID, String, String?, Date, [String]).self) {
                items.append(Item(messageID: row.0, treeID: row.1, reason: row.2, reporterName: row.3, flaggedAt: row.4, reports: row.5))
            }
            return items
        }
    }

    public func pendingCount() async throws -> Int {
        try await database.withConnection { connection in
            for try await count in try await connection.query(
                "SELECT count(*)::int8 FROM flagged_messages WHERE NOT processed", logger: database.logger
            ).decode(Int.self) {
                return count
            }
            return 0
        }
    }

    /// Marks the flag handled. Returns false when there was no open flag on the message.
    public func resolve(messageID: UUID, moderator: UUID, note: String) async throws -> Bool {
        try await database.transaction { connection in
            var resolved = false
            for try await _ in try await connection.query("""
                UPDATE flagged_messages SET processed = true, processed_by = \(moderator), processed_at = now()
                WHERE message_id = \(messageID) AND NOT processed RETURNING 1
                """, logger: database.logger) {
                resolved = true
            }
            if resolved {
                try await AuditLog.record(.resolveFlag, actor: moderator, messageID: messageID, reason: note, on: connection, logger: database.logger)
            }
            return resolved
        }
    }
}
