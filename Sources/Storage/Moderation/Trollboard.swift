import Feedback
import Foundation
import PostgresNIO

/// Open Assistant's trollboard: per author, the signals of bad contributions over a time frame, worst first.
/// Read by moderators only, so it is computed when asked.
public struct Trollboard: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    public struct Row: Sendable {
        public var userID: UUID
        public var displayName: String
        public var banned: Bool
        public var signals: TrollSignals
        public var score: Int { signals.score }
    }

    /// A label counts against the author when the reviewer leaned towards "yes" (value of at least 0.5).
    private static let flagLabels = ["lang_mismatch", "not_appropriate", "pii", "hate_speech", "sexual_content", "political_content"]

    public func rows(_ frame: TimeFrame, now: Date = Date(), limit: Int = 100) async throws -> [Row] {
        let start = frame.start(now: now)
        let labelCounts = Self.flagLabels.map {
            "count(*) FILTER (WHERE (l.\"values\" ->> '\($0)')::float8 >= 0.5)::int8"
        }.joined(separator: ", ")
        return try await database.withConnection { connection in
            var rows: [Row] = []
            let query: PostgresQuery = """
                WITH authored AS (
                    SELECT m.id, m.author_id, m.parent_id, m.emojis, t.state
                    FROM messages m JOIN message_trees t ON t.id = m.tree_id
                    WHERE NOT m.deleted AND m.author_id IS NOT NULL AND (\(start)::timestamptz IS NULL OR m.created_at >= \(start))
                ), reactions AS (
                    SELECT author_id,
                           sum(coalesce((emojis ->> 'red_flag')::int, 0))::int8 AS red_flags,
                           sum(coalesce((emojis ->> '+1')::int, 0))::int8 AS upvotes,
                           sum(coalesce((emojis ->> '-1')::int, 0))::int8 AS downvotes,
                           count(*) FILTER (WHERE parent_id IS NULL AND state = 'aborted_low_grade')::int8 AS spam_prompts
                    FROM authored GROUP BY author_id
                ), flags AS (
                    SELECT a.author_id, \(unescaped: labelCounts)
                    FROM labels l JOIN authored a ON a.id = l.message_id WHERE l.kind = 'task' GROUP BY a.author_id
                )
                SELECT r.author_id, coalesce(u.display_name, ''), u.banned, r.red_flags, r.upvotes, r.downvotes, r.spam_prompts,
                       \(unescaped: (2...7).map { "coalesce(f.f\($0), 0)" }.joined(separator: ", "))
                FROM reactions r JOIN users u ON u.id = r.author_id
                LEFT JOIN flags f (author_id, f2, f3, f4, f5, f6, f7) ON f.author_id = r.author_id
                """
            for try await row in try await connection.query(query, logger: database.logger)
                .decode((UUID, String, Bool, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int).self) {
                var signals = TrollSignals()
                signals.redFlags = row.3
                signals.upvotes = row.4
                signals.downvotes = row.5
                signals.spamPrompts = row.6
                signals.langMismatch = row.7
                signals.notAppropriate = row.8
                signals.pii = row.9
                signals.hateSpeech = row.10
                signals.sexualContent = row.11
                signals.politicalContent = row.12
                rows.append(Row(userID: row.0, displayName: row.1, banned: row.2, signals: signals))
            }
            return Array(rows.filter { $0.score > 0 }.sorted { ($0.score, $1.userID) > ($1.score, $0.userID) }.prefix(limit))
        }
    }
}
