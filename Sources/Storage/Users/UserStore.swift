import Foundation
import PostgresNIO

/// Users: found or created by email at sign-in, changed from the account page and the command line.
public struct UserStore: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    public enum Failure: Error, Equatable, CustomStringConvertible {
        case displayNameTaken
        case notFound

        public var description: String {
            switch self {
            case .displayNameTaken: return "that display name is already taken"
            case .notFound: return "no such user"
            }
        }
    }

    typealias Row = (UUID, String?, String?, String, Bool, String?, Date?, Bool, Bool, Date)

    static func user(from row: Row) -> User {
        User(
            id: row.0, email: row.1, displayName: row.2, role: User.Role(rawValue: row.3) ?? .general,
            banned: row.4, bannedReason: row.5, termsAcceptedAt: row.6, showOnLeaderboard: row.7,
            deleted: row.8, createdAt: row.9
        )
    }

    public func find(id: UUID) async throws -> User? {
        try await first("""
            SELECT id, email::text, display_name, role, banned, banned_reason, terms_accepted_at,
                   show_on_leaderboard, deleted, created_at FROM users WHERE id = \(id)
            """)
    }

    public func find(email: String) async throws -> User? {
        try await first("""
            SELECT id, email::text, display_name, role, banned, banned_reason, terms_accepted_at,
                   show_on_leaderboard, deleted, created_at FROM users WHERE email = \(email) AND NOT deleted
            """)
    }

    /// The user with this address, created on first sign-in.
    public func findOrCreate(email: String, role: User.Role = .general) async throws -> User {
        let id = UUID()
        return try await database.withConnection { connection in
            let rows = try await connection.query("""
                INSERT INTO users (id, email, role) VALUES (\(id), \(email), \(role.rawValue))
                ON CONFLICT (email) DO UPDATE SET last_seen_at = now()
                RETURNING id, email::text, display_name, role, banned, banned_reason, terms_accepted_at,
                          show_on_leaderboard, deleted, created_at
                """, logger: database.logger)
            for try await row in rows.decode(Row.self) { return Self.user(from: row) }
            throw Failure.notFound
        }
    }

    /// Sets the display name (unique regardless of case) and, when given, the terms acceptance date.
    public func completeProfile(id: UUID, displayName: String, acceptTerms: Bool) async throws {
        do {
            try await database.withConnection { connection in
                if acceptTerms {
                    try await connection.query("""
                        UPDATE users SET display_name = \(displayName),
                               terms_accepted_at = coalesce(terms_accepted_at, now())
                        WHERE id = \(id) AND NOT deleted
                        """, logger: database.logger)
                } else {
                    try await connection.query("""
                        UPDATE users SET display_name = \(displayName) WHERE id = \(id) AND NOT deleted
                        """, logger: database.logger)
                }
                try await ScoreBook.boardChanged(on: connection, logger: database.logger)
            }
        } catch let error as PSQLError where error.serverInfo?[.sqlState] == "23505" {
            throw Failure.displayNameTaken
        }
    }

    public func setRole(id: UUID, role: User.Role) async throws {
        try await database.withConnection { connection in
            try await connection.query("UPDATE users SET role = \(role.rawValue) WHERE id = \(id)", logger: database.logger)
        }
    }

    public func setShowOnLeaderboard(id: UUID, _ show: Bool) async throws {
        try await database.withConnection { connection in
            try await connection.query("UPDATE users SET show_on_leaderboard = \(show) WHERE id = \(id)", logger: database.logger)
            try await ScoreBook.syncListing(userID: id, on: connection, logger: database.logger)
        }
    }

    /// Bans or unbans; a ban also ends every session of the user at once.
    public func setBanned(id: UUID, banned: Bool, reason: String?) async throws {
        try await database.transaction { connection in
            try await connection.query("""
                UPDATE users SET banned = \(banned), banned_reason = \(banned ? reason : nil) WHERE id = \(id)
                """, logger: database.logger)
            if banned {
                try await connection.query("DELETE FROM sessions WHERE user_id = \(id)", logger: database.logger)
            }
            try await ScoreBook.syncListing(userID: id, on: connection, logger: database.logger)
        }
    }

    /// Anonymises the account: the address and name go, messages stay in their trees under
    /// "Deleted user", the user leaves leaderboards and every session ends.
    public func deleteAccount(id: UUID) async throws {
        try await database.transaction { connection in
            try await connection.query("""
                DELETE FROM signin_tokens WHERE email = (SELECT email FROM users WHERE id = \(id))
                """, logger: database.logger)
            try await connection.query("""
                UPDATE users SET email = NULL, display_name = 'Deleted user', deleted = true,
                       show_on_leaderboard = false WHERE id = \(id)
                """, logger: database.logger)
            try await connection.query("DELETE FROM sessions WHERE user_id = \(id)", logger: database.logger)
            try await ScoreBook.syncListing(userID: id, on: connection, logger: database.logger)
        }
    }

    private func first(_ query: PostgresQuery) async throws -> User? {
        try await database.withConnection { connection in
            for try await row in try await connection.query(query, logger: database.logger).decode(Row.self) {
                return Self.user(from: row)
            }
            return nil
        }
    }
}
