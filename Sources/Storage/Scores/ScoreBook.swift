import Feedback
import Foundation
import PostgresNIO

/// Keeps the leaderboard numbers current. Each scored journal row adds to its user's hour bucket and to
/// their four time-frame rows right after the transaction that wrote it commits (`ScoreLedger`); `refreshWindows` lets old hours fall out
/// of the rolling frames and `refreshRanks` orders the boards the pages read. None of them reads the journal.
public struct ScoreBook: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// Counts one action for `userID` at `now`: its streak (`Streak.recordingActivity`, for the user's own
    /// actions), its hour bucket, and its four time-frame rows with their new scores, in one statement, so it is
    /// atomic without a transaction of its own. As a read of the streak, its update and two inserts, it took four
    /// round trips, and two more to begin and commit, while a submit waited for it.
    ///
    /// The streak rule is written here as SQL over the row's current values, which an update sees even after
    /// waiting for another one; `StreakSQLTests` holds it to `Streak.recordingActivity`. The statement names the
    /// hour bucket table before it changes a row: the refresh job locks that table before it touches user_stats,
    /// and a statement takes the locks on its tables before any row lock, so the two cannot deadlock.
    static func record(_ action: ScoredAction, userID: UUID, now: Date, on connection: PostgresConnection, logger: Logger) async throws {
        let own = action.isOwnActivity
        guard let column = StatColumns.column(for: action) else {
            if own {
                try await connection.query("""
                    WITH moment AS (SELECT \(now)::timestamptz AS stamp) \(unescaped: Self.streakUpdate) WHERE id = \(userID)
                    """, logger: logger)
            }
            return
        }
        let frames = TimeFrame.allCases.map(\.rawValue)
        let firstScore = StatColumns.scoreExpression { $0 == column ? "1" : "0" }
        let nextScore = StatColumns.scoreExpression { $0 == column ? "(user_stats.\($0) + 1)" : "user_stats.\($0)" }
        try await connection.query("""
            WITH moment AS (SELECT \(now)::timestamptz AS stamp), hour AS (
                INSERT INTO user_stat_hours (user_id, hour, \(unescaped: column)) VALUES (\(userID), \(StatsBucket.hour(of: now)), 1)
                ON CONFLICT (user_id, hour) DO UPDATE SET \(unescaped: column) = user_stat_hours.\(unescaped: column) + 1
            ), streak AS (
                \(unescaped: Self.streakUpdate) WHERE id = \(userID) AND \(own)
            )
            INSERT INTO user_stats (user_id, time_frame, \(unescaped: column), listed, leader_score)
            SELECT \(userID), f, 1, (SELECT show_on_leaderboard AND NOT banned AND NOT deleted FROM users WHERE id = \(userID)),
                   \(unescaped: firstScore)
            FROM unnest(\(frames)::text[]) AS f
            ON CONFLICT (user_id, time_frame) DO UPDATE
               SET \(unescaped: column) = user_stats.\(unescaped: column) + 1, updated_at = now(), leader_score = \(unescaped: nextScore)
            """, logger: logger)
    }

    /// `Streak.recordingActivity` at the `stamp` of a `moment` the statement defines, as an update of `users` without
    /// its WHERE clause. The sub-select reads the row being updated, so it sees the values an update that waited for
    /// another one finds.
    static let streakUpdate = """
        UPDATE users SET (streak_started_at, streak_last_activity_at, streak_days) = (
            SELECT CASE WHEN broken THEN stamp ELSE streak_started_at END,
                   CASE WHEN broken THEN stamp ELSE greatest(stamp, streak_last_activity_at) END,
                   CASE WHEN broken THEN 0 ELSE floor(extract(epoch FROM stamp - streak_started_at) / 86400)::int END
            FROM moment, LATERAL (
                SELECT streak_started_at IS NULL OR streak_last_activity_at IS NULL OR streak_started_at > stamp
                       OR extract(epoch FROM stamp - streak_last_activity_at) > \(Int(Streak.maxGap)) AS broken
            ) b
        )
        """

    /// Copies the user's leaderboard visibility (opt-out, ban, deletion) onto their score rows. Someone who
    /// leaves the board leaves its ranked pages at once; someone who joins appears at the next ranking.
    static func syncListing(userID: UUID, on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query("""
            UPDATE user_stats s SET listed = u.show_on_leaderboard AND NOT u.banned AND NOT u.deleted
            FROM users u WHERE u.id = \(userID) AND s.user_id = u.id
            """, logger: logger)
        try await connection.query("""
            DELETE FROM leaderboard_ranks r USING users u
            WHERE u.id = \(userID) AND r.user_id = u.id AND NOT (u.show_on_leaderboard AND NOT u.banned AND NOT u.deleted)
            """, logger: logger)
        try await boardChanged(on: connection, logger: logger)
    }

    /// Recomputes every bucket and score from the journal, for a database filled by bulk loading. This is
    /// the one place that reads the whole journal; nothing on a request path calls it.
    public func rebuildFromJournal(now: Date = Date()) async throws {
        let logger = database.logger
        let oldest = StatsBucket.oldestNeededHour(now: now)
        try await database.transaction { connection in
            try await connection.query("LOCK TABLE user_stat_hours IN EXCLUSIVE MODE", logger: logger)
            try await connection.query("DELETE FROM user_stat_hours", logger: logger)
            try await connection.query("DELETE FROM user_stats", logger: logger)
            try await connection.query("DELETE FROM leaderboard_ranks", logger: logger)
            try await connection.query("""
                INSERT INTO user_stat_hours (user_id, hour, \(unescaped: StatColumns.names))
                SELECT j.user_id, date_trunc('hour', j.created_at), \(unescaped: StatColumns.journalCounts)
                FROM journal j WHERE j.user_id IS NOT NULL AND j.created_at >= \(oldest)
                GROUP BY 1, 2
                """, logger: logger)
            try await connection.query("""
                INSERT INTO user_stats (user_id, time_frame, \(unescaped: StatColumns.names), leader_score, listed)
                SELECT c.*, \(unescaped: StatColumns.scoreExpression { "c.\($0)" }),
                       u.show_on_leaderboard AND NOT u.banned AND NOT u.deleted
                FROM (SELECT j.user_id, 'total', \(unescaped: StatColumns.journalCounts)
                      FROM journal j WHERE j.user_id IS NOT NULL GROUP BY j.user_id) AS c (user_id, time_frame, \(unescaped: StatColumns.names))
                JOIN users u ON u.id = c.user_id
                """, logger: logger)
        }
        try await refreshWindows(now: now)
        try await refreshRanks(now: now)
    }

    /// Rebuilds day, week and month from the hour buckets and drops buckets no frame needs any more.
    /// Reads at most a month of buckets, all inside the database, and rewrites only the rows that changed;
    /// run every few minutes.
    public func refreshWindows(now: Date = Date()) async throws {
        let logger = database.logger
        let sums = StatColumns.all.map { "sum(h.\($0.name))::int" }.joined(separator: ", ")
        let changed = StatColumns.all.map { "user_stats.\($0.name) IS DISTINCT FROM EXCLUDED.\($0.name)" }.joined(separator: " OR ")
        let assignments = (StatColumns.all.map(\.name) + ["leader_score"]).map { "\($0) = EXCLUDED.\($0)" }.joined(separator: ", ")
        try await database.transaction { connection in
            // Writers add to a bucket before their user_stats rows; holding this lock makes the rebuild see
            // every committed action and lose none that arrive meanwhile (they wait for it).
            try await connection.query("LOCK TABLE user_stat_hours IN EXCLUSIVE MODE", logger: logger)
            for frame in [TimeFrame.day, .week, .month] {
                guard let start = StatsBucket.firstHour(of: frame, now: now) else { continue }
                try await connection.query("""
                    INSERT INTO user_stats (user_id, time_frame, \(unescaped: StatColumns.names), leader_score, listed)
                    SELECT c.*, \(unescaped: StatColumns.scoreExpression { "c.\($0)" }),
                           u.show_on_leaderboard AND NOT u.banned AND NOT u.deleted
                    FROM (SELECT h.user_id, \(frame.rawValue)::text, \(unescaped: sums)
                          FROM user_stat_hours h WHERE h.hour >= \(start) GROUP BY h.user_id) AS c (user_id, time_frame, \(unescaped: StatColumns.names))
                    JOIN users u ON u.id = c.user_id
                    ON CONFLICT (user_id, time_frame) DO UPDATE SET \(unescaped: assignments), updated_at = now()
                    WHERE \(unescaped: changed)
                    """, logger: logger)
                try await connection.query("""
                    DELETE FROM user_stats s WHERE s.time_frame = \(frame.rawValue)
                      AND NOT EXISTS (SELECT 1 FROM user_stat_hours h WHERE h.user_id = s.user_id AND h.hour >= \(start))
                    """, logger: logger)
            }
            try await connection.query("DELETE FROM user_stat_hours WHERE hour < \(StatsBucket.oldestNeededHour(now: now))", logger: logger)
        }
    }
}
