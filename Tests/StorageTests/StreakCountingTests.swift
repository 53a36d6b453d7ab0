import Feedback
import Foundation
import PostgresNIO
@testable import Storage
import TestSupport
import Testing

/// `ScoreBook.record` steps a streak it read without a lock, by an update that applies only if the row still holds
/// what was read; the stored streak must be the one `Streak.recordingActivity` gives in every case that rule
/// distinguishes, with times that compare to the microsecond however they were stored.
@Suite("Streaks counted with an action")
struct StreakCountingTests {
    /// A whole second, so the stored microseconds and the `Date` compare equal.
    static let base = Date(timeIntervalSince1970: 1_768_046_400)
    static let hour: TimeInterval = 3600

    /// A streak before the action (its columns; a start without a last activity is no streak), and the action's moment.
    struct Case: CustomStringConvertible {
        let name: String
        let started: Date?
        let last: Date?
        let days: Int
        let now: Date

        var previous: Streak? { started.flatMap { s in last.map { Streak(startedAt: s, lastActivityAt: $0, days: days) } } }
        var description: String { name }
    }

    static let cases: [Case] = [
        Case(name: "none yet", started: nil, last: nil, days: 0, now: base),
        Case(name: "same day", started: base, last: base + hour, days: 0, now: base + 2 * hour),
        Case(name: "a whole day on", started: base, last: base + 20 * hour, days: 0, now: base + 25 * hour),
        Case(name: "exactly the longest gap", started: base, last: base + 10 * hour, days: 0, now: base + 46 * hour),
        Case(name: "a second past the longest gap", started: base, last: base + 10 * hour, days: 0, now: base + 46 * hour + 1),
        Case(name: "started after the action", started: base + 5 * hour, last: base + 5 * hour, days: 0, now: base + hour),
        Case(name: "last activity after the action", started: base, last: base + 30 * hour, days: 1, now: base + 20 * hour),
        Case(name: "ten days", started: base - 10 * 24 * hour, last: base - hour, days: 9, now: base),
        Case(name: "a start without a last activity", started: base, last: nil, days: 3, now: base + hour),
        Case(name: "times with fractions of a second", started: base + 0.1234567, last: base + hour + 0.7654321, days: 0, now: base + 2 * hour),
    ]

    @Test("an own action continues, starts or restarts the streak as Streak.recordingActivity does", arguments: [
        ScoredAction.labeled(.full), .wroteReply(.assistant), .ranked,
    ])
    func agreesWithTheRule(action: ScoredAction) async throws {
        try await TestServer.withDatabase { database in
            let users = UserStore(database: database)
            let board = Leaderboard(database: database)
            for (index, example) in Self.cases.enumerated() {
                let user = try await users.findOrCreate(email: "streak\(index)@example.org").id
                try await database.withConnection { connection in
                    try await connection.query("""
                        UPDATE users SET streak_started_at = \(example.started), streak_last_activity_at = \(example.last),
                               streak_days = \(example.days) WHERE id = \(user)
                        """, logger: database.logger)
                }
                // The rule applied to the streak as stored (to the microsecond), as the count reads it.
                let stored = try await board.streak(of: user)
                #expect((stored == nil) == (example.previous == nil), "\(example)")
                try await database.withConnection { connection in
                    try await ScoreBook.record(action, userID: user, now: example.now, on: connection, logger: database.logger)
                }
                let expected = Streak.recordingActivity(stored, at: example.now)
                #expect(try await board.streak(of: user) == expected, "\(example)")
            }
        }
    }

    @Test("another's doing (an acceptance, a consensus bonus) leaves the streak as it was")
    func othersLeaveItAlone() async throws {
        try await TestServer.withDatabase { database in
            let user = try await UserStore(database: database).findOrCreate(email: "kept@example.org").id
            let kept = Streak(startedAt: Self.base, lastActivityAt: Self.base + Self.hour, days: 0)
            try await database.withConnection { connection in
                try await connection.query("""
                    UPDATE users SET streak_started_at = \(kept.startedAt), streak_last_activity_at = \(kept.lastActivityAt),
                           streak_days = 0 WHERE id = \(user)
                    """, logger: database.logger)
                for action in [ScoredAction.replyAccepted(.assistant), .rankingAgreedWithConsensus, .replyRankedByConsensus(0)] {
                    try await ScoreBook.record(action, userID: user, now: Self.base + 100 * Self.hour, on: connection, logger: database.logger)
                }
            }
            #expect(try await Leaderboard(database: database).streak(of: user) == kept)
        }
    }

    @Test("actions of one user counted at the same moment each count once, and the streak steps for each")
    func concurrentActionsOfOneUser() async throws {
        try await TestServer.withDatabase { database in
            let user = try await UserStore(database: database).findOrCreate(email: "busy@example.org").id
            let actions = 16
            try await withThrowingTaskGroup(of: Void.self) { group in
                for k in 0..<actions {
                    group.addTask {
                        try await database.withConnection { connection in
                            try await ScoreBook.record(.ranked, userID: user, now: Self.base + Double(k) * Self.hour,
                                                       on: connection, logger: database.logger)
                        }
                    }
                }
                try await group.waitForAll()
            }
            let column = try #require(StatColumns.column(for: .ranked))
            let counted = try await database.withConnection { connection in
                var total = 0
                for try await n in try await connection.query("""
                    SELECT \(unescaped: column)::int8 FROM user_stats WHERE user_id = \(user) AND time_frame = 'total'
                    """, logger: database.logger).decode(Int.self) { total = n }
                return total
            }
            #expect(counted == actions)
            // Every step was applied to the streak as the one before left it: the latest action is the last activity.
            let streak = try #require(try await Leaderboard(database: database).streak(of: user))
            #expect(streak.lastActivityAt == Self.base + Double(actions - 1) * Self.hour)
        }
    }
}
