import Foundation
import PostgresNIO

/// Keys for the OpenAI-compatible API. The key itself is shown once at creation; only its hash is
/// kept, with a short prefix so the owner can tell keys apart.
public struct APIKeyStore: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    public struct Key: Sendable, Equatable {
        public var id: UUID
        public var name: String
        public var prefix: String
        public var createdAt: Date
        public var lastUsedAt: Date?
    }

    /// Every key is `oasst-` and 43 URL-safe characters; what is returned is the only copy.
    public func create(userID: UUID, name: String) async throws -> (key: Key, secret: String) {
        let secret = "oasst-" + Secrets.token()
        let prefix = String(secret.prefix(12))
        let label = String(name.trimmingCharacters(in: .whitespacesAndNewlines).prefix(100))
        let key = try await database.withConnection { connection -> Key? in
            for try await (id, created) in try await connection.query("""
                INSERT INTO api_keys (id, user_id, name, key_hash, prefix) VALUES (\(UUID()), \(userID), \(label.isEmpty ? "key" : label), \(Secrets.hash(secret)), \(prefix))
                RETURNING id, created_at
                """, logger: database.logger).decode((UUID, Date).self) {
                return Key(id: id, name: label.isEmpty ? "key" : label, prefix: prefix, createdAt: created, lastUsedAt: nil)
            }
            return nil
        }
        guard let key else { throw ChatFailure.invalid("the key could not be stored") }
        return (key, secret)
    }

    /// The user's keys that still work, newest first.
    public func keys(userID: UUID) async throws -> [Key] {
        try await database.withConnection { connection in
            var keys: [Key] = []
            for try await (id, name, prefix, created, used) in try await connection.query("""
                SELECT id, name, prefix, created_at, last_used_at FROM api_keys
                WHERE user_id = \(userID) AND revoked_at IS NULL ORDER BY created_at DESC
                """, logger: database.logger).decode((UUID, String, String, Date, Date?).self) {
                keys.append(Key(id: id, name: name, prefix: prefix, createdAt: created, lastUsedAt: used))
            }
            return keys
        }
    }

    public func revoke(_ id: UUID, userID: UUID) async throws {
        var revoked = false
        try await database.withConnection { connection in
            for try await _ in try await connection.query("""
                UPDATE api_keys SET revoked_at = now() WHERE id = \(id) AND user_id = \(userID) AND revoked_at IS NULL RETURNING 1
                """, logger: database.logger) { revoked = true }
        }
        guard revoked else { throw ChatFailure.notFound }
    }

    /// The user a key belongs to, if the key is valid and its owner may still use the site.
    public func user(forKey secret: String) async throws -> User? {
        guard secret.hasPrefix("oasst-"), secret.count < 200 else { return nil }
        let hash = Secrets.hash(secret)
        return try await database.withConnection { connection in
            for try await row in try await connection.query("""
                WITH used AS (
                    UPDATE api_keys SET last_used_at = now() WHERE key_hash = \(hash) AND revoked_at IS NULL RETURNING user_id
                )
                SELECT u.id, u.email::text, u.display_name, u.role, u.banned, u.banned_reason, u.terms_accepted_at,
                       u.show_on_leaderboard, u.deleted, u.created_at
                FROM users u JOIN used ON used.user_id = u.id WHERE NOT u.deleted
                """, logger: database.logger).decode(UserStore.Row.self) {
                return UserStore.user(from: row)
            }
            return nil
        }
    }
}
