import Feedback
import Foundation
import PostgresNIO

/// Reading the leaderboard: pages, a user's rank with their neighbours, and one user's stats. Pages and
/// ranks come from the stored ranking (`ScoreBook.refreshRanks`), so each query is a short index range.
public struct Leaderboard: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    public struct Row: Sendable, Equatable {
        public var rank: Int
        public var userID: UUID
        public var displayName: String
        public var score: Int
    }

    public struct Page: Sendable {
        public var rows: [Row]
        public var hasMore: Bool
    }

    /// Rows ranked `offset + 1 ...` of a frame, best first, as the last ranking stored them. Someone who
    /// left the board since then leaves a gap in the ranks until the next ranking closes it.
    public func page(_ frame: TimeFrame, offset: Int, limit: Int) async throws -> Page {
        try await database.withConnection { connection in
            var rows: [Row] = []
            for try await (rank, id, name, score) in try await connection.query("""
                SELECT r.rank, r.user_id, coalesce(u.display_name, ''), r.score
                FROM leaderboard_ranks r JOIN users u ON u.id = r.user_id
                WHERE r.time_frame = \(frame.rawValue) AND r.rank > \(offset)
                ORDER BY r.rank LIMIT \(limit + 1)
                """, logger: database.logger).decode((Int, UUID, String, Int).self) {
                rows.append(Row(rank: rank, userID: id, displayName: name, score: score))
            }
            let hasMore = rows.count > limit
            return Page(rows: Array(rows.prefix(limit)), hasMore: hasMore)
        }
    }

    /// The version of everything a board page shows, and when the boards were last ranked (nil before the
    /// first ranking). Pages rendered at one version can be reused until it moves.
    public struct State: Sendable, Equatable {
        public var version: Int
        public var rankedAt: Date?
    }

    public func state() async throws -> State {
        try await database.withConnection { connection in
            for try await (version, rankedAt) in try await connection.query("""
                SELECT version, ranked_at FROM leaderboard_state
                """, logger: database.logger).decode((Int, Date?).self) {
                return State(version: version, rankedAt: rankedAt)
            }
            return State(version: 0, rankedAt: nil)
        }
    }

    /// The user's rank in a frame at the last ranking, or nil when they are not on that board.
    public func rank(of userID: UUID, in frame: TimeFrame) async throws -> Int? {
        try await database.withConnection { connection in
            for try await rank in try await connection.query("""
                SELECT rank FROM leaderboard_ranks WHERE time_frame = \(frame.rawValue) AND user_id = \(userID)
                """, logger: database.logger).decode(Int.self) {
                return rank
            }
            return nil
        }
    }

    /// The rows around the user's rank (`windowSize` of them where there are enough). Reads enough rows on
    /// both sides to tell whether the user is near the end, so no count of the whole board is needed.
    public func neighbours(of userID: UUID, in frame: TimeFrame, windowSize: Int = 5) async throws -> [Row] {
        guard windowSize > 0, let rank = try await rank(of: userID, in: frame) else { return [] }
        let low = max(1, rank - windowSize + 1)
        let fetched = try await page(frame, offset: low - 1, limit: 2 * windowSize - 1).rows
        guard let window = LeaderboardRules.window(around: rank, windowSize: windowSize, count: fetched.last?.rank ?? rank) else { return [] }
        return fetched.filter { window.contains($0.rank) }
    }

    public struct UserStats: Sendable {
        public var frame: TimeFrame
        public var counts: ContributionCounts
        public var score: Int
        public var rank: Int?
    }

    /// A user's counters and score in every frame (zero where they have none).
    public func stats(of userID: UUID) async throws -> [UserStats] {
        var found: [TimeFrame: (ContributionCounts, Int)] = [:]
        try await database.withConnection { connection in
            for try await (frame, values, score) in try await connection.query("""
                SELECT time_frame, \(unescaped: StatColumns.array()), leader_score FROM user_stats WHERE user_id = \(userID)
                """, logger: database.logger).decode((String, [Int], Int).self) {
                if let frame = TimeFrame(rawValue: frame) { found[frame] = (StatColumns.counts(values), score) }
            }
        }
        var result: [UserStats] = []
        for frame in TimeFrame.allCases {
            let (counts, score) = found[frame] ?? (ContributionCounts(), 0)
            result.append(UserStats(frame: frame, counts: counts, score: score, rank: found[frame] == nil ? nil : try await rank(of: userID, in: frame)))
        }
        return result
    }

    /// The user's streak as stored (the caller decides with `Streak.currentDays` whether it still holds).
    public func streak(of userID: UUID) async throws -> Streak? {
        try await database.withConnection { connection in
            for try await (started, last, days) in try await connection.query("""
                SELECT streak_started_at, streak_last_activity_at, streak_days FROM users WHERE id = \(userID)
                """, logger: database.logger).decode((Date?, Date?, Int).self) {
                if let started, let last { return Streak(startedAt: started, lastActivityAt: last, days: days) }
            }
            return nil
        }
    }
}
