import Foundation
import PostgresNIO

/// Single-use sign-in tokens. The token goes out in the mail; the table keeps its hash and expiry.
public struct SignInTokenStore: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    public enum Check: Sendable, Equatable {
        case valid(email: String)
        case used
        case expired
        case unknown
    }

    /// Issues a token for `email` and returns it; the caller mails it and revokes it if mailing fails.
    public func issue(email: String, lifetime: Duration, ip: String?) async throws -> String {
        let token = Secrets.token()
        let expires = Date().addingTimeInterval(Double(lifetime.components.seconds))
        try await database.withConnection { connection in
            try await connection.query("""
                INSERT INTO signin_tokens (token_hash, email, expires_at, request_ip)
                VALUES (\(Secrets.hash(token)), \(email), \(expires), \(ip))
                """, logger: database.logger)
            // Old rows have no use after a day; sweeping here keeps the table small without a job.
            try await connection.query("DELETE FROM signin_tokens WHERE expires_at < now() - interval '1 day'", logger: database.logger)
        }
        return token
    }

    /// What a token would do if consumed now, without consuming it (the confirm page).
    public func check(token: String) async throws -> Check {
        try await database.withConnection { connection in
            let rows = try await connection.query("""
                SELECT email::text, used_at IS NOT NULL, expires_at <= now() FROM signin_tokens
                WHERE token_hash = \(Secrets.hash(token))
                """, logger: database.logger)
            for try await (email, used, expired) in rows.decode((String, Bool, Bool).self) {
                if used { return .used }
                if expired { return .expired }
                return .valid(email: email)
            }
            return .unknown
        }
    }

    /// Marks the token used and returns its address; exactly one of two racing requests gets it.
    public func consume(token: String) async throws -> Check {
        let consumed: String? = try await database.withConnection { connection in
            let rows = try await connection.query("""
                UPDATE signin_tokens SET used_at = now()
                WHERE token_hash = \(Secrets.hash(token)) AND used_at IS NULL AND expires_at > now()
                RETURNING email::text
                """, logger: database.logger)
            for try await email in rows.decode(String.self) { return email }
            return nil
        }
        if let consumed { return .valid(email: consumed) }
        return try await check(token: token)
    }

    /// Makes a token unusable, for when its mail could not be sent.
    public func revoke(token: String) async throws {
        try await database.withConnection { connection in
            try await connection.query("""
                UPDATE signin_tokens SET used_at = now() WHERE token_hash = \(Secrets.hash(token))
                """, logger: database.logger)
        }
    }

    /// For tests: moves a token's expiry into the past.
    public func expire(token: String) async throws {
        try await database.withConnection { connection in
            try await connection.query("""
                UPDATE signin_tokens SET expires_at = now() - interval '1 second' WHERE token_hash = \(Secrets.hash(token))
                """, logger: database.logger)
        }
    }
}
