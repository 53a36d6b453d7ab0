import Foundation
import PostgresNIO

/// Fills a database with a realistic load for the task benchmark: many finished trees, a few
/// active ones per state, authors and the users who will take tasks. Set-based SQL, so loading
/// 100,000 messages takes seconds.
public enum BenchmarkData {
    public struct Shape: Sendable {
        public var trees = 10_000
        public var messagesPerTree = 10
        public var growingTrees = 10
        public var reviewTrees = 100
        public var rankingTrees = 50
        public var authors = 500

        public init() {}
    }

    public static func load(_ shape: Shape, into database: Database) async throws {
        let logger = database.logger
        try await database.transaction { connection in
            try await connection.query("""
                INSERT INTO users (id, email, display_name, terms_accepted_at)
                SELECT gen_random_uuid(), 'author' || n || '@bench.example', 'Author ' || n, now()
                FROM generate_series(1, \(shape.authors)) AS n
                """, logger: logger)
            // Tree k: its state depends on k so each state gets its share; the rest are exported.
            try await connection.query("""
                INSERT INTO message_trees (id, state, active, lang, goal_tree_size, max_depth, max_children_count)
                SELECT gen_random_uuid(),
                       CASE WHEN k <= \(shape.growingTrees) THEN 'growing'
                            WHEN k <= \(shape.growingTrees + shape.reviewTrees) THEN 'initial_prompt_review'
                            WHEN k <= \(shape.growingTrees + shape.reviewTrees + shape.rankingTrees) THEN 'ranking'
                            ELSE 'ready_for_export' END,
                       k <= \(shape.growingTrees + shape.reviewTrees + shape.rankingTrees),
                       'en', 12, 3, 3
                FROM generate_series(1, \(shape.trees)) AS k
                """, logger: logger)
            // Roots: accepted except in trees still under initial review.
            try await connection.query("""
                INSERT INTO messages (id, tree_id, parent_id, role, text, lang, depth, author_id, review_count, review_result, children_count, created_at)
                SELECT t.id, t.id, NULL, 'prompter', 'Benchmark prompt ' || t.id, 'en', 0,
                       (SELECT id FROM users WHERE email = 'author' || (1 + abs(hashtext(t.id::text)) % \(shape.authors)) || '@bench.example'),
                       CASE WHEN t.state = 'initial_prompt_review' THEN 0 ELSE 3 END,
                       CASE WHEN t.state = 'initial_prompt_review' THEN NULL ELSE true END,
                       CASE WHEN t.state = 'initial_prompt_review' THEN 0 ELSE 3 END,
                       now() - interval '1 day'
                FROM message_trees t
                """, logger: logger)
            // Replies: three assistant replies under each root, then prompter replies under them, alternating roles by depth.
            try await connection.query("""
                INSERT INTO messages (id, tree_id, parent_id, role, text, lang, depth, author_id, review_count, review_result, created_at)
                SELECT gen_random_uuid(), t.id, t.id, 'assistant', 'Benchmark reply ' || r || ' in ' || t.id, 'en', 1,
                       (SELECT id FROM users WHERE email = 'author' || (1 + abs(hashtext(t.id::text || r)) % \(shape.authors)) || '@bench.example'),
                       3, true, now() - interval '1 day'
                FROM message_trees t CROSS JOIN generate_series(1, 3) AS r
                WHERE t.state <> 'initial_prompt_review'
                """, logger: logger)
            try await connection.query("""
                INSERT INTO messages (id, tree_id, parent_id, role, text, lang, depth, author_id, review_count, review_result, created_at)
                SELECT gen_random_uuid(), a.tree_id, a.id, 'prompter', 'Benchmark follow-up ' || r || ' to ' || a.id, 'en', 2,
                       (SELECT id FROM users WHERE email = 'author' || (1 + abs(hashtext(a.id::text || r)) % \(shape.authors)) || '@bench.example'),
                       CASE WHEN t.state = 'growing' THEN 0 ELSE 3 END,
                       CASE WHEN t.state = 'growing' THEN NULL ELSE true END,
                       now() - interval '1 day'
                FROM messages a JOIN message_trees t ON t.id = a.tree_id CROSS JOIN generate_series(1, 2) AS r
                WHERE a.depth = 1 AND (r = 1 OR t.state = 'ready_for_export')
                """, logger: logger)
        }
        // The messages are indexed for search now, as a running server would have done long before; otherwise
        // the background indexer would work through them while the load is measured.
        try await SearchIndex(database: database).catchUp()
        try await analyze(database)
    }

    /// Brings the planner's statistics up to date with what the tables hold.
    public static func analyze(_ database: Database) async throws {
        try await database.withConnection { connection in
            try await connection.query("ANALYZE", logger: database.logger)
        }
    }

    /// Counts of what was loaded, for the report.
    public static func counts(in database: Database) async throws -> (trees: Int, messages: Int) {
        try await database.withConnection { connection in
            var result = (0, 0)
            for try await row in try await connection.query("""
                SELECT (SELECT count(*)::int FROM message_trees), (SELECT count(*)::int FROM messages)
                """, logger: database.logger).decode((Int, Int).self) {
                result = row
            }
            return result
        }
    }

    /// EXPLAIN output of the queries a task request runs, so a reader can check none scans all trees: the
    /// statements themselves, with a user's values bound.
    public static func queryPlans(in database: Database, userID: UUID) async throws -> [(String, String)] {
        let since = Date().addingTimeInterval(-300)
        @Sendable func explained(_ statement: some PreparedQuery) throws -> PostgresQuery {
            PostgresQuery(unsafeSQL: "EXPLAIN " + type(of: statement).sql, binds: try statement.makeBindings())
        }
        let queries: [(String, PostgresQuery)] = [
            ("what a task request reads: open tasks, state counts, active trees, the user's history",
             try explained(TaskStatements.Candidates(userID: userID, since: since, lang: "en"))),
            ("messages of changed trees", "EXPLAIN SELECT m.id FROM messages m WHERE m.tree_id = ANY(ARRAY(SELECT id FROM message_trees WHERE active LIMIT 200))"),
        ]
        return try await database.withConnection { connection in
            var plans: [(String, String)] = []
            for (name, query) in queries {
                var lines: [String] = []
                for try await line in try await connection.query(query, logger: database.logger).decode(String.self) { lines.append(line) }
                plans.append((name, lines.joined(separator: "\n")))
            }
            return plans
        }
    }
}
