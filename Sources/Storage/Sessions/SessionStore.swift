import Crypto
import Foundation
import PostgresNIO

/// Sessions in Postgres, so any number of server processes share them. The cookie carries a random
/// id; only its hash is stored.
public struct SessionStore: Sendable {
    let database: Database
    public let idleTimeout: Duration
    public let absoluteTimeout: Duration

    public init(database: Database, idleTimeout: Duration = .seconds(7 * 86_400), absoluteTimeout: Duration = .seconds(30 * 86_400)) {
        self.database = database
        self.idleTimeout = idleTimeout
        self.absoluteTimeout = absoluteTimeout
    }

    /// A live session and its user.
    public struct Active: Sendable {
        public let idHash: String
        public let user: User
        public let csrfToken: String
        public let lastSeenAt: Date
    }

    /// One row of the account page's session list.
    public struct Listed: Sendable {
        public let idHash: String
        public let createdAt: Date
        public let lastSeenAt: Date
        public let userAgent: String?
        public let ip: String?
    }

    /// Starts a session and returns the cookie value. `replacing` is the visitor's previous session,
    /// ended here so a session id never survives sign-in (fixation).
    public func create(userID: UUID, userAgent: String?, ip: String?, replacing previous: String? = nil) async throws -> (cookie: String, csrfToken: String) {
        let cookie = Secrets.token()
        let csrf = Secrets.token()
        let expires = Date().addingTimeInterval(Double(absoluteTimeout.components.seconds))
        try await database.transaction { connection in
            if let previous {
                try await connection.query("DELETE FROM sessions WHERE id_hash = \(Secrets.hash(previous))", logger: database.logger)
            }
            try await connection.query("""
                INSERT INTO sessions (id_hash, user_id, csrf_token, expires_at, user_agent, ip)
                VALUES (\(Secrets.hash(cookie)), \(userID), \(csrf), \(expires), \(userAgent.map { String($0.prefix(300)) }), \(ip))
                """, logger: database.logger)
        }
        return (cookie, csrf)
    }

    /// The session behind a cookie, if it exists and has expired neither by idleness nor by age.
    /// Seen-times are written at most once a minute to keep reads cheap.
    public func find(cookie: String) async throws -> Active? {
        let hash = Secrets.hash(cookie)
        let idleSeconds = Double(idleTimeout.components.seconds)
        return try await database.withConnection { connection in
            for try await row in try await connection.execute(Lookup(hash: hash, idleSeconds: idleSeconds), logger: database.logger) {
                let user = UserStore.user(from: (row.3, row.4, row.5, row.6, row.7, row.8, row.9, row.10, row.11, row.12))
                if row.2 < Date().addingTimeInterval(-60) {
                    try await connection.query("UPDATE sessions SET last_seen_at = now() WHERE id_hash = \(hash)", logger: database.logger)
                }
                return Active(idHash: row.0, user: user, csrfToken: row.1, lastSeenAt: row.2)
            }
            return nil
        }
    }

    public func list(userID: UUID) async throws -> [Listed] {
        try await database.withConnection { connection in
            var sessions: [Listed] = []
            let rows = try await connection.query("""
                SELECT id_hash, created_at, last_seen_at, user_agent, ip FROM sessions
                WHERE user_id = \(userID) AND expires_at > now() ORDER BY last_seen_at DESC
                """, logger: database.logger)
            for try await row in rows.decode((String, Date, Date, String?, String?).self) {
                sessions.append(Listed(idHash: row.0, createdAt: row.1, lastSeenAt: row.2, userAgent: row.3, ip: row.4))
            }
            return sessions
        }
    }

    public func end(idHash: String, userID: UUID) async throws {
        try await database.withConnection { connection in
            try await connection.query("DELETE FROM sessions WHERE id_hash = \(idHash) AND user_id = \(userID)", logger: database.logger)
        }
    }

    public func endAll(userID: UUID) async throws {
        try await database.withConnection { connection in
            try await connection.query("DELETE FROM sessions WHERE user_id = \(userID)", logger: database.logger)
        }
    }

    /// Removes expired rows; called now and then, never needed for correctness.
    public func purgeExpired() async throws {
        try await database.withConnection { connection in
            try await connection.query("DELETE FROM sessions WHERE expires_at < now()", logger: database.logger)
        }
    }
}
