import Foundation

/// One row of a leaderboard.
public struct LeaderboardEntry: Sendable, Equatable {
    /// 1 = best.
    public var rank: Int
    public var userID: UUID
    public var score: Int

    public init(rank: Int, userID: UUID, score: Int) {
        self.rank = rank
        self.userID = userID
        self.score = score
    }
}

public enum LeaderboardRules {
    /// Orders by score, highest first; equal scores are ordered by user id so ranks are stable across refreshes.
    /// Every row gets its own rank (1, 2, 3, ...), as Open Assistant's `ROW_NUMBER()`.
    public static func ranked(_ scores: [(userID: UUID, score: Int)]) -> [LeaderboardEntry] {
        scores.sorted { ($1.score, $0.userID) < ($0.score, $1.userID) }
            .enumerated().map { LeaderboardEntry(rank: $0 + 1, userID: $1.userID, score: $1.score) }
    }

    /// Ranks of the rows shown around a user: `windowSize` rows centred on `rank`, clamped to 1...count.
    public static func window(around rank: Int, windowSize: Int = 5, count: Int) -> ClosedRange<Int>? {
        guard count > 0, windowSize > 0 else { return nil }
        var low = rank - windowSize / 2
        var high = low + windowSize - 1
        if low < 1 {
            high += 1 - low
            low = 1
        }
        if high > count {
            low = max(1, low - (high - count))
            high = count
        }
        return low...high
    }
}
