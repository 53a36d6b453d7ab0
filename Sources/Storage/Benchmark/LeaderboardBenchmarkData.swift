import Feedback
import Foundation
import PostgresNIO

/// Fills a database for the leaderboard benchmark: many contributors and a journal of their actions over
/// the last 60 days, with a few very active people and a long tail, as real leaderboards have.
public enum LeaderboardBenchmarkData {
    public static func load(users: Int, journalRows: Int, into database: Database) async throws {
        let logger = database.logger
        // Weighted like real work: many labels and rankings, fewer replies, a prompt now and then.
        let actions: [ScoredAction] = [
            .labeled(.full), .labeled(.full), .labeled(.simple), .ranked, .ranked, .wroteReply(.assistant),
            .wroteReply(.prompter), .replyAccepted(.assistant), .wrotePrompt, .promptAccepted,
            .rankingAgreedWithConsensus, .replyRankedByConsensus(0), .replyRankedByConsensus(1),
        ]
        let names = actions.map(\.journalEntry.action)
        let payloads = actions.map { action -> String in
            let payload = action.journalEntry.payload
            guard let data = try? JSONSerialization.data(withJSONObject: payload, options: [.sortedKeys]) else { return "{}" }
            return String(decoding: data, as: UTF8.self)
        }
        try await database.transaction { connection in
            try await connection.query("""
                INSERT INTO users (id, email, display_name, terms_accepted_at, show_on_leaderboard)
                SELECT gen_random_uuid(), 'board' || n || '@bench.example', 'Board ' || n, now(), n % 50 <> 0
                FROM generate_series(1, \(users)) AS n
                """, logger: logger)
            try await connection.query("""
                CREATE TEMP TABLE bench_people ON COMMIT DROP AS
                SELECT id, row_number() OVER (ORDER BY id) AS n FROM users WHERE email LIKE 'board%@bench.example'
                """, logger: logger)
            try await connection.query("CREATE INDEX ON bench_people (n)", logger: logger)
            // power(random(), 3) puts most rows on the first people: a few heavy contributors, a long tail.
            try await connection.query("""
                INSERT INTO journal (user_id, action, payload, created_at)
                SELECT p.id, (\(names)::text[])[r.a], ((\(payloads)::text[])[r.a])::jsonb, r.at
                FROM (SELECT 1 + floor(\(users) * power(random(), 3))::int8 AS n,
                             1 + floor(random() * \(actions.count))::int AS a,
                             now() - random() * interval '60 days' AS at
                      FROM generate_series(1, \(journalRows))) AS r
                JOIN bench_people p ON p.n = r.n
                """, logger: logger)
            try await connection.query("ANALYZE", logger: logger)
        }
        try await ScoreBook(database: database).rebuildFromJournal()
        _ = try await database.withConnection { connection in
            try await connection.query("ANALYZE", logger: logger)
        }
    }

    /// Users for the load generator to sign in as, spread over the board (so their neighbours are anywhere).
    public static func sampleUsers(_ count: Int, in database: Database) async throws -> [UUID] {
        try await database.withConnection { connection in
            var ids: [UUID] = []
            for try await id in try await connection.query("""
                SELECT user_id FROM user_stats WHERE time_frame = 'total' AND listed ORDER BY random() LIMIT \(count)
                """, logger: database.logger).decode(UUID.self) {
                ids.append(id)
            }
            return ids
        }
    }

    public static func counts(in database: Database) async throws -> (users: Int, journal: Int, listed: Int) {
        try await database.withConnection { connection in
            for try await row in try await connection.query("""
                SELECT (SELECT count(*) FROM users)::int8, (SELECT count(*) FROM journal)::int8,
                       (SELECT count(*) FROM user_stats WHERE time_frame = 'total' AND listed)::int8
                """, logger: database.logger).decode((Int, Int, Int).self) {
                return row
            }
            return (0, 0, 0)
        }
    }
}
