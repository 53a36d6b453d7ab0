import Foundation
import PostgresNIO

/// Writes the search vectors of messages that are new or edited (the queue migration 0009 fills by trigger).
/// Batches are taken with `SKIP LOCKED`, so several servers, or a search and the background indexer, share the
/// work without waiting for each other.
public struct SearchIndex: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// Indexes up to `limit` waiting messages in one transaction; how many it took from the queue.
    @discardableResult
    public func indexWaiting(limit: Int = 1_000) async throws -> Int {
        try await database.transaction { connection in
            // Losing the last batch in a crash only leaves it to be indexed again from the text.
            try await connection.query("SET LOCAL synchronous_commit = off", logger: database.logger)
            let rows = try await connection.query("""
                WITH taken AS (
                    DELETE FROM message_search_queue WHERE message_id IN (
                        SELECT message_id FROM message_search_queue ORDER BY message_id LIMIT \(limit) FOR UPDATE SKIP LOCKED
                    ) RETURNING message_id
                ), written AS (
                    INSERT INTO message_search (message_id, search)
                    SELECT m.id, to_tsvector('simple', m.text) FROM messages m JOIN taken t ON t.message_id = m.id
                    ON CONFLICT (message_id) DO UPDATE SET search = EXCLUDED.search
                    RETURNING 1
                ) SELECT (SELECT count(*) FROM taken)::int + 0 * (SELECT count(*) FROM written)::int
                """, logger: database.logger)
            for try await count in rows.decode(Int.self) { return count }
            return 0
        }
    }

    /// Indexes until the queue is empty or `limit` messages were taken; how many were.
    @discardableResult
    public func catchUp(limit: Int = .max, batch: Int = 1_000) async throws -> Int {
        var total = 0
        while total < limit {
            let taken = try await indexWaiting(limit: min(batch, limit - total))
            total += taken
            if taken == 0 { break }
        }
        return total
    }

    /// How many messages wait to be indexed.
    public func waiting() async throws -> Int {
        try await database.withConnection { connection in
            for try await count in try await connection.query(
                "SELECT count(*)::int FROM message_search_queue", logger: database.logger
            ).decode(Int.self) {
                return count
            }
            return 0
        }
    }
}
