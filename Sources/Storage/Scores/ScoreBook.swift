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

    /// Counts one action for `userID` at `now`: its hour bucket, its four time-frame rows with their new scores,
    /// and, for the user's own actions, the streak that `Streak.recordingActivity` gives, in two round trips and
    /// without a transaction of its own. As a locked read of the streak, its update and two inserts between a
    /// BEGIN and a COMMIT it took six, while a submit waited for it.
    ///
    /// The streak is read without a lock and updated only if it is still as read (compared to the microsecond):
    /// when another of the user's actions moved it meanwhile, it is read again and the rule applied to that.
    /// Each statement names the hour bucket table before it changes a row: the refresh job locks that table
    /// before it touches user_stats, and a statement takes the locks on its tables before any row lock, so the
    /// two cannot deadlock.
    static func record(_ action: ScoredAction, userID: UUID, now: Date, on connection: PostgresConnection, logger: Logger) async throws {
        let own = action.isOwnActivity
        guard let column = StatColumns.column(for: action) else { return }
        var counting = true
        for _ in 0..<Self.streakAttempts {
            let streak = own ? try await StreakRead.read(userID, on: connection, logger: logger) : nil
            // Not the user's own doing, or no such user: nothing to step.
            if try await count(column, userID: userID, now: now, counting: counting, streak: streak, on: connection, logger: logger) || streak == nil {
                return
            }
            counting = false
        }
        throw ScoreBookError.streakKeptMoving(userID)
    }

    /// Times a streak is read again when other actions of its user keep moving it between the read and the update.
    static let streakAttempts = 8

    /// The action's hour bucket and time-frame rows when `counting`, and the step of `streak` (when given) if the
    /// row still holds what was read; true when that step was taken.
    private static func count(
        _ column: String, userID: UUID, now: Date, counting: Bool, streak: StreakRead?, on connection: PostgresConnection, logger: Logger
    ) async throws -> Bool {
        let frames = TimeFrame.allCases.map(\.rawValue)
        let firstScore = StatColumns.scoreExpression { $0 == column ? "1" : "0" }
        let nextScore = StatColumns.scoreExpression { $0 == column ? "(user_stats.\($0) + 1)" : "user_stats.\($0)" }
        let next = streak.map { Streak.recordingActivity($0.streak, at: now) }
        var stepped = false
        for try await updated in try await connection.query("""
            WITH hour AS (
                INSERT INTO user_stat_hours (user_id, hour, \(unescaped: column)) SELECT \(userID), \(StatsBucket.hour(of: now)), 1 WHERE \(counting)
                ON CONFLICT (user_id, hour) DO UPDATE SET \(unescaped: column) = user_stat_hours.\(unescaped: column) + 1
            ), stats AS (
                INSERT INTO user_stats (user_id, time_frame, \(unescaped: column), listed, leader_score)
                SELECT \(userID), f, 1, (SELECT show_on_leaderboard AND NOT banned AND NOT deleted FROM users WHERE id = \(userID)),
                       \(unescaped: firstScore)
                FROM unnest(\(frames)::text[]) AS f WHERE \(counting)
                ON CONFLICT (user_id, time_frame) DO UPDATE
                   SET \(unescaped: column) = user_stats.\(unescaped: column) + 1, updated_at = now(), leader_score = \(unescaped: nextScore)
            ), streak AS (
                UPDATE users SET streak_started_at = \(next?.startedAt), streak_last_activity_at = \(next?.lastActivityAt),
                                 streak_days = \(next?.days ?? 0)
                WHERE id = \(userID) AND \(next != nil)
                  AND \(unescaped: StreakRead.microseconds("streak_started_at")) IS NOT DISTINCT FROM \(streak?.startedMicroseconds)
                  AND \(unescaped: StreakRead.microseconds("streak_last_activity_at")) IS NOT DISTINCT FROM \(streak?.lastMicroseconds)
                  AND streak_days = \(streak?.days ?? 0)
                RETURNING 1
            )
            SELECT count(*)::int8 FROM streak
            """, logger: logger).decode(Int.self) {
            stepped = updated > 0
        }
        return stepped
    }

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

/// A user's streak as read for an update that applies only if the row still holds it: its columns, and its two
/// times as whole microseconds (a `Date` read back and bound again may land on the neighbouring microsecond).
struct StreakRead {
    let startedMicroseconds: Int64?
    let lastMicroseconds: Int64?
    let days: Int
    /// The streak the columns describe; none without both times.
    let streak: Streak?

    /// `column` (a timestamp) as whole microseconds since 1970, in SQL.
    static func microseconds(_ column: String) -> String { "(extract(epoch FROM \(column)) * 1000000)::int8" }

    static func read(_ userID: UUID, on connection: PostgresConnection, logger: Logger) async throws -> StreakRead? {
        for try await (started, last, days, startedMicroseconds, lastMicroseconds) in try await connection.query("""
            SELECT streak_started_at, streak_last_activity_at, streak_days,
                   \(unescaped: microseconds("streak_started_at")), \(unescaped: microseconds("streak_last_activity_at"))
            FROM users WHERE id = \(userID)
            """, logger: logger).decode((Date?, Date?, Int, Int64?, Int64?).self) {
            let streak = started.flatMap { s in last.map { Streak(startedAt: s, lastActivityAt: $0, days: days) } }
            return StreakRead(startedMicroseconds: startedMicroseconds, lastMicroseconds: lastMicroseconds, days: days, streak: streak)
        }
        return nil
    }
}

/// Why an action's scores could not be counted.
enum ScoreBookError: Error, CustomStringConvertible {
    /// The user's other actions moved the streak between every read and update.
    case streakKeptMoving(UUID)

    var description: String {
        switch self {
        case .streakKeptMoving(let user): "the streak of \(user) kept changing while it was counted"
        }
    }
}
