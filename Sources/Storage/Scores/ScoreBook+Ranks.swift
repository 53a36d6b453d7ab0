import Feedback
import Foundation
import PostgresNIO

extension ScoreBook {
    /// Ranks every listed user in each frame and stores the result for the pages to read: best score first,
    /// equal scores by user id, one rank per row as `LeaderboardRules.ranked`. Only rows whose rank or score
    /// moved are written; finding them with one join instead of a conflict check per row makes a quiet board
    /// several times cheaper to re-rank.
    public func refreshRanks(now: Date = Date()) async throws {
        let logger = database.logger
        // One transaction, so a page never sees some frames ranked anew under the old version.
        try await database.transaction { connection in
            for frame in TimeFrame.allCases {
                try await connection.query("""
                    INSERT INTO leaderboard_ranks (time_frame, user_id, rank, score)
                    SELECT fresh.* FROM (
                        SELECT s.time_frame, s.user_id, row_number() OVER (ORDER BY s.leader_score DESC, s.user_id)::int AS rank, s.leader_score AS score
                        FROM user_stats s WHERE s.time_frame = \(frame.rawValue) AND s.listed
                    ) fresh
                    LEFT JOIN leaderboard_ranks old ON old.time_frame = fresh.time_frame AND old.user_id = fresh.user_id
                    WHERE old.user_id IS NULL OR old.rank <> fresh.rank OR old.score <> fresh.score
                    ON CONFLICT (time_frame, user_id) DO UPDATE SET rank = EXCLUDED.rank, score = EXCLUDED.score
                    """, logger: logger)
                try await connection.query("""
                    DELETE FROM leaderboard_ranks r WHERE r.time_frame = \(frame.rawValue)
                      AND NOT EXISTS (SELECT 1 FROM user_stats s WHERE s.user_id = r.user_id AND s.time_frame = r.time_frame AND s.listed)
                    """, logger: logger)
            }
            try await connection.query("""
                UPDATE leaderboard_state SET version = version + 1, ranked_at = \(now)
                """, logger: logger)
        }
    }

    /// Marks every rendered board page out of date: someone left or joined the board, or changed their name.
    static func boardChanged(on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query("UPDATE leaderboard_state SET version = version + 1", logger: logger)
    }
}
