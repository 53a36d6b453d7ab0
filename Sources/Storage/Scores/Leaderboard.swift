import Feedback
import Foundation
import PostgresNIO

/// Reading the leaderboard: pages, a user's rank with their neighbours, and one user's stats. Every
/// query is a range of the `user_stats_board` index.
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

    /// Rows `offset + 1 ...` of a frame, best first; equal scores are ordered by user id, as the ranks are.
    public func page(_ frame: TimeFrame, offset: Int, limit: Int) async throws -> Page {
        try await database.withConnection { connection in
            var rows: [Row] = []
            for try await (id, name, score) in try await connection.query("""
                SELECT s.user_id, coalesce(u.display_name, ''), s.leader_score
                FROM user_stats s JOIN users u ON u.id = s.user_id
                WHERE s.time_frame = \(frame.rawValue) AND s.listed
                ORDER BY s.leader_score DESC, s.user_id LIMIT \(limit + 1) OFFSET \(offset)
                """, logger: database.logger).decode((UUID, String, Int).self) {
                rows.append(Row(rank: offset + rows.count + 1, userID: id, displayName: name, score: score))
            }
            let hasMore = rows.count > limit
            return Page(rows: Array(rows.prefix(limit)), hasMore: hasMore)
        }
    }

    /// The user's rank in a frame, or nil when they are not listed there.
    public func rank(of userID: UUID, in frame: TimeFrame) async throws -> Int? {
        try await database.withConnection { connection in
            for try await rank in try await connection.query("""
                SELECT 1 + (SELECT count(*) FROM user_stats o
                            WHERE o.time_frame = s.time_frame AND o.listed
                              AND (o.leader_score > s.leader_score OR (o.leader_score = s.leader_score AND o.user_id < s.user_id)))::int8
                FROM user_stats s WHERE s.user_id = \(userID) AND s.time_frame = \(frame.rawValue) AND s.listed
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
