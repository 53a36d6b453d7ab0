import Feedback
import Foundation
import PostgresNIO

/// The public numbers of the stats page and the queue sizes of the admin status page.
public struct SiteStats: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    public struct Public: Sendable {
        /// Accepted, non-deleted messages written by people, per language (largest first) and per role.
        public var messagesByLang: [(String, Int)]
        public var messagesByRole: [(String, Int)]
        public var treesByState: [(String, Int)]
        /// People with at least one journaled action in the last 24 hours.
        public var activeContributorsToday: Int
    }

    public func publicStats() async throws -> Public {
        try await database.withConnection { connection in
            let byLang = try await pairs("""
                SELECT lang, count(*)::int8 FROM messages WHERE NOT deleted AND NOT synthetic AND review_result
                GROUP BY lang ORDER BY 2 DESC, 1 LIMIT 20
                """, on: connection)
            let byRole = try await pairs("""
                SELECT role, count(*)::int8 FROM messages WHERE NOT deleted AND NOT synthetic AND review_result
                GROUP BY role ORDER BY 1
                """, on: connection)
            let byState = try await pairs("SELECT state, count(*)::int8 FROM message_trees GROUP BY state ORDER BY 2 DESC, 1", on: connection)
            let active = try await count("""
                SELECT count(DISTINCT user_id)::int8 FROM journal WHERE created_at > now() - interval '24 hours' AND user_id IS NOT NULL
                """, on: connection)
            return Public(messagesByLang: byLang, messagesByRole: byRole, treesByState: byState, activeContributorsToday: active)
        }
    }

    public struct Queues: Sendable {
        public var openFlags: Int
        public var openTasks: Int
        public var users: Int
        public var bannedUsers: Int
        public var journalRowsToday: Int
    }

    public func queues() async throws -> Queues {
        try await database.withConnection { connection in
            Queues(
                openFlags: try await count("SELECT count(*)::int8 FROM flagged_messages WHERE NOT processed", on: connection),
                openTasks: try await count("SELECT count(*)::int8 FROM tasks WHERE NOT done AND NOT skipped AND expires_at > now()", on: connection),
                users: try await count("SELECT count(*)::int8 FROM users WHERE NOT deleted", on: connection),
                bannedUsers: try await count("SELECT count(*)::int8 FROM users WHERE banned", on: connection),
                journalRowsToday: try await count("SELECT count(*)::int8 FROM journal WHERE created_at > now() - interval '24 hours'", on: connection)
            )
        }
    }

    private func pairs(_ query: PostgresQuery, on connection: PostgresConnection) async throws -> [(String, Int)] {
        var result: [(String, Int)] = []
        for try await pair in try await connection.query(query, logger: database.logger).decode((String, Int).self) {
            result.append(pair)
        }
        return result
    }

    private func count(_ query: PostgresQuery, on connection: PostgresConnection) async throws -> Int {
        for try await value in try await connection.query(query, logger: database.logger).decode(Int.self) {
            return value
        }
        return 0
    }
}
