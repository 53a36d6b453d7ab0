import Feedback
import Foundation
import PostgresNIO

/// Moderators' view of people: finding them, notes, bans and roles. Every change is audited.
public struct UserModeration: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    public enum Failure: Error, Equatable {
        case notFound
        case roleChangeNotAllowed
    }

    public struct Listed: Sendable {
        public var user: User
        public var notes: String
    }

    public func find(_ id: UUID) async throws -> Listed? {
        try await database.withConnection { connection in
            for try await row in try await connection.query("""
                SELECT id, email::text, display_name, role, banned, banned_reason, terms_accepted_at,
                       show_on_leaderboard, deleted, created_at, notes FROM users WHERE id = \(id)
                """, logger: database.logger).decode((UUID, String?, String?, String, Bool, String?, Date?, Bool, Bool, Date, String).self) {
                return Listed(user: UserStore.user(from: (row.0, row.1, row.2, row.3, row.4, row.5, row.6, row.7, row.8, row.9)), notes: row.10)
            }
            return nil
        }
    }

    /// Users whose display name contains `text` or whose address is `text`, newest first.
    public func search(_ text: String, limit: Int = 50) async throws -> [User] {
        let pattern = "%" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
            .replacingOccurrences(of: "_", with: "\\_") + "%"
        return try await database.withConnection { connection in
            var users: [User] = []
            for try await row in try await connection.query("""
                SELECT id, email::text, display_name, role, banned, banned_reason, terms_accepted_at,
                       show_on_leaderboard, deleted, created_at FROM users
                WHERE display_name ILIKE \(pattern) OR email = \(text)
                ORDER BY created_at DESC LIMIT \(limit)
                """, logger: database.logger).decode(UserStore.Row.self) {
                users.append(UserStore.user(from: row))
            }
            return users
        }
    }

    public func setNotes(_ notes: String, of userID: UUID, moderator: UUID) async throws {
        try await database.transaction { connection in
            try await requireUser(userID, on: connection)
            try await connection.query("UPDATE users SET notes = \(String(notes.prefix(10_000))) WHERE id = \(userID)", logger: database.logger)
            try await AuditLog.record(.setNotes, actor: moderator, targetUser: userID, reason: "", on: connection, logger: database.logger)
        }
    }

    /// Bans (ending every session at once, and leaving the leaderboards) or unbans.
    public func setBanned(_ banned: Bool, userID: UUID, moderator: UUID, reason: String) async throws {
        try await database.transaction { connection in
            try await requireUser(userID, on: connection)
            try await connection.query("""
                UPDATE users SET banned = \(banned), banned_reason = \(banned ? reason : nil) WHERE id = \(userID)
                """, logger: database.logger)
            if banned {
                try await connection.query("DELETE FROM sessions WHERE user_id = \(userID)", logger: database.logger)
            }
            try await ScoreBook.syncListing(userID: userID, on: connection, logger: database.logger)
            try await AuditLog.record(banned ? .ban : .unban, actor: moderator, targetUser: userID, reason: reason, on: connection, logger: database.logger)
        }
    }

    /// Changes a role when `RoleRules` allow it for the acting user.
    public func setRole(_ role: User.Role, userID: UUID, actor: User, reason: String) async throws {
        try await database.transaction { connection in
            var current: String?
            for try await role in try await connection.query(
                "SELECT role FROM users WHERE id = \(userID) FOR UPDATE", logger: database.logger
            ).decode(String.self) {
                current = role
            }
            guard let current else { throw Failure.notFound }
            guard RoleRules.mayChange(actor: actor.role.rawValue, actorIsTarget: actor.id == userID, from: current, to: role.rawValue) else {
                throw Failure.roleChangeNotAllowed
            }
            try await connection.query("UPDATE users SET role = \(role.rawValue) WHERE id = \(userID)", logger: database.logger)
            try await AuditLog.record(.setRole, actor: actor.id, targetUser: userID, reason: reason, details: "\(current) → \(role.rawValue)",
                                      on: connection, logger: database.logger)
        }
    }

    private func requireUser(_ id: UUID, on connection: PostgresConnection) async throws {
        for try await _ in try await connection.query("SELECT 1 FROM users WHERE id = \(id) FOR UPDATE", logger: database.logger) {
            return
        }
        throw Failure.notFound
    }
}
