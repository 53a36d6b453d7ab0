import Foundation
import PostgresNIO

/// Sliding-window counters in Postgres, so limits hold across server processes.
public struct RateLimitStore: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    public struct Limit: Sendable {
        public let bucket: String
        public let count: Int
        public let window: Duration

        public init(bucket: String, count: Int, window: Duration) {
            self.bucket = bucket
            self.count = count
            self.window = window
        }
    }

    public enum Decision: Sendable, Equatable {
        case allowed
        /// Refused; the oldest counted event leaves the window after this many seconds.
        case limited(retryAfterSeconds: Int)
    }

    /// Counts one event for `key` unless the limit is reached, in one statement (migration 0012): an advisory
    /// lock on the key, taken first, makes the count-then-insert atomic, so two racing requests cannot both take
    /// the last slot.
    public func hit(_ limit: Limit, key: String) async throws -> Decision {
        let seconds = Double(limit.window.components.seconds)
        return try await database.withConnection { connection in
            var decision = Decision.allowed
            for try await (allowed, retry) in try await connection.query("""
                SELECT allowed, retry_after_seconds FROM rate_limit_hit(\(limit.bucket), \(key), \(seconds), \(limit.count))
                """, logger: database.logger).decode((Bool, Double).self) where !allowed {
                decision = .limited(retryAfterSeconds: max(1, Int(retry.rounded(.up))))
            }
            if decision == .allowed, Int.random(in: 0..<100) == 0 {
                try await connection.query("DELETE FROM rate_limit_events WHERE at < now() - interval '2 days'", logger: database.logger)
            }
            return decision
        }
    }

    /// How many more events `key` may have now, without counting one.
    public func remaining(_ limit: Limit, key: String) async throws -> Int {
        let seconds = Double(limit.window.components.seconds)
        return try await database.withConnection { connection in
            let rows = try await connection.query("""
                SELECT count(*)::int FROM rate_limit_events
                WHERE bucket = \(limit.bucket) AND key = \(key) AND at > now() - make_interval(secs => \(seconds))
                """, logger: database.logger)
            for try await count in rows.decode(Int.self) { return max(0, limit.count - count) }
            return limit.count
        }
    }
}

extension RateLimitStore {
    /// Takes back the newest counted event of `key`, for an action that was counted and then refused.
    public func giveBack(_ limit: Limit, key: String) async throws {
        try await database.withConnection { connection in
            try await connection.query("""
                DELETE FROM rate_limit_events WHERE ctid = (
                    SELECT ctid FROM rate_limit_events WHERE bucket = \(limit.bucket) AND key = \(key) ORDER BY at DESC LIMIT 1)
                """, logger: database.logger)
        }
    }
}
