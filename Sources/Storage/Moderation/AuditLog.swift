import Feedback
import Foundation
import PostgresNIO

/// Who did what, when and why. Every moderation and admin change writes its entry in its own transaction.
public struct AuditLog: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    public struct Entry: Sendable {
        public var id: Int
        public var actorID: UUID
        public var actorName: String
        public var action: String
        public var targetUserID: UUID?
        public var targetUserName: String?
        public var messageID: UUID?
        public var treeID: UUID?
        public var reason: String
        public var details: String
        public var createdAt: Date
    }

    static func record(
        _ action: StaffAction, actor: UUID, targetUser: UUID? = nil, messageID: UUID? = nil, treeID: UUID? = nil,
        reason: String, details: String = "", on connection: PostgresConnection, logger: Logger
    ) async throws {
        try await connection.query("""
            INSERT INTO audit_log (actor_id, action, target_user_id, message_id, tree_id, reason, details)
            VALUES (\(actor), \(action.rawValue), \(targetUser), \(messageID), \(treeID), \(String(reason.prefix(2000))), \(details))
            """, logger: logger)
    }

    /// Newest first; `targetUser` narrows to entries about one user.
    public func entries(targetUser: UUID? = nil, offset: Int = 0, limit: Int = 50) async throws -> [Entry] {
        try await database.withConnection { connection in
            var entries: [Entry] = []
            let rows = try await connection.query("""
                SELECT a.id, a.actor_id, coalesce(actor.display_name, ''), a.action, a.target_user_id, target.display_name,
                       a.message_id, a.tree_id, a.reason, a.details, a.created_at
                FROM audit_log a JOIN users actor ON actor.id = a.actor_id LEFT JOIN users target ON target.id = a.target_user_id
                WHERE \(targetUser)::uuid IS NULL OR a.target_user_id = \(targetUser)
                ORDER BY a.created_at DESC, a.id DESC LIMIT \(limit) OFFSET \(offset)
                """, logger: database.logger)
            for try await row in rows.decode((Int, UUID, String, String, UUID?, String?, UUID?, UUID?, String, String, Date).self) {
                entries.append(Entry(id: row.0, actorID: row.1, actorName: row.2, action: row.3, targetUserID: row.4, targetUserName: row.5,
                                     messageID: row.6, treeID: row.7, reason: row.8, details: row.9, createdAt: row.10))
            }
            return entries
        }
    }
}
