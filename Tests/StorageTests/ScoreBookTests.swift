import Feedback
import Foundation
import PostgresNIO
@testable import Storage
import TestSupport
import Testing

/// The leaderboard numbers follow the journal as actions are recorded, and the rolling frames forget old hours.
@Suite("Score book and leaderboard")
struct ScoreBookTests {
    func makeUsers(_ database: Database, _ names: [String]) async throws -> [UUID] {
        let users = UserStore(database: database)
        var ids: [UUID] = []
        for name in names {
            let user = try await users.findOrCreate(email: "\(name.lowercased())@example.org")
            try await users.completeProfile(id: user.id, displayName: name, acceptTerms: true)
            ids.append(user.id)
        }
        return ids
    }

    func record(_ database: Database, _ user: UUID, _ actions: [ScoredAction]) async throws {
        try await database.transaction { connection in
            for action in actions {
                let entry = action.journalEntry
                try await Journal.record(action: entry.action, userID: user, payload: entry.payload, on: connection, logger: database.logger)
            }
        }
    }

    @Test("ordering by score, ties by user id, the user's rank and neighbours, opting out")
    func orderingAndTies() async throws {
        try await TestServer.withDatabase { database in
            let ids = try await makeUsers(database, ["Ann", "Ben", "Cat", "Dan"])
            let (ann, ben, cat, dan) = (ids[0], ids[1], ids[2], ids[3])
            try await record(database, ann, [.wroteReply(.assistant)])                       // 4
            try await record(database, ben, [.wroteReply(.assistant), .replyAccepted(.assistant), .replyRankedByConsensus(0)]) // 17
            try await record(database, cat, [.labeled(.full), .labeled(.full)])               // 4
            try await record(database, dan, [.ranked, .rankingAgreedWithConsensus])            // 2
            let board = Leaderboard(database: database)
            #expect(try await board.page(.total, offset: 0, limit: 10).rows.isEmpty, "pages show the stored ranking, not live counts")
            let unranked = try await board.state()
            #expect(unranked.rankedAt == nil)
            try await ScoreBook(database: database).refreshRanks()
            let ranked = try await board.state()
            #expect(ranked.rankedAt != nil && ranked.version > unranked.version)
            let page = try await board.page(.total, offset: 0, limit: 10)
            let tied = [ann, cat].sorted()
            #expect(page.rows.map(\.userID) == [ben, tied[0], tied[1], dan])
            #expect(page.rows.map(\.score) == [17, 4, 4, 2])
            #expect(page.rows.map(\.rank) == [1, 2, 3, 4])
            #expect(!page.hasMore)
            #expect(try await board.rank(of: tied[1], in: .total) == 3)
            #expect(try await board.rank(of: dan, in: .day) == 4, "a fresh action counts in every frame at once")
            let second = try await board.page(.total, offset: 1, limit: 2)
            #expect(second.rows.map(\.rank) == [2, 3] && second.hasMore)
            #expect(try await board.neighbours(of: dan, in: .total, windowSize: 3).map(\.userID) == [tied[0], tied[1], dan])

            let incremental = try await board.page(.total, offset: 0, limit: 10).rows
            try await ScoreBook(database: database).rebuildFromJournal()
            #expect(try await board.page(.total, offset: 0, limit: 10).rows == incremental, "a rebuild from the journal agrees with the running totals")
            #expect(try await board.page(.week, offset: 0, limit: 10).rows.map(\.score) == [17, 4, 4, 2])

            try await UserStore(database: database).setShowOnLeaderboard(id: ben, false)
            #expect(try await board.page(.total, offset: 0, limit: 10).rows.map(\.userID) == [tied[0], tied[1], dan])
            #expect(try await board.rank(of: ben, in: .total) == nil, "leaving the board takes effect at once")
            #expect(try await board.state().version > ranked.version, "and moves the version, so no rendered page keeps showing Ben")
            #expect(try await board.rank(of: dan, in: .total) == 4, "the others move up at the next ranking")
            try await ScoreBook(database: database).refreshRanks()
            #expect(try await board.rank(of: dan, in: .total) == 3)
            #expect(try await board.page(.total, offset: 0, limit: 10).rows.map(\.rank) == [1, 2, 3])

            let stats = try await board.stats(of: ben)
            #expect(stats.first { $0.frame == .total }?.counts.replyRanked1 == 1)
            #expect(stats.first { $0.frame == .week }?.score == 17)
        }
    }

    @Test("old hours leave the day, week and month boards but not the total; streaks follow own actions")
    func rollingFrames() async throws {
        try await TestServer.withDatabase { database in
            let ids = try await makeUsers(database, ["Eve", "Fay"])
            let (eve, fay) = (ids[0], ids[1])
            try await record(database, eve, [.wroteReply(.prompter), .wroteReply(.prompter)])
            // Fay's work was two days ago: back-date her bucket as the clock would have.
            try await database.transaction { connection in
                try await ScoreBook.record(.wroteReply(.assistant), userID: fay, now: Date().addingTimeInterval(-2 * 86400), on: connection, logger: database.logger)
            }
            let board = Leaderboard(database: database)
            try await ScoreBook(database: database).refreshRanks()
            #expect(try await board.page(.day, offset: 0, limit: 10).rows.count == 2, "before the refresh every action is in every frame")
            try await ScoreBook(database: database).refreshWindows()
            try await ScoreBook(database: database).refreshRanks()
            #expect(try await board.page(.day, offset: 0, limit: 10).rows.map(\.userID) == [eve])
            #expect(try await board.page(.week, offset: 0, limit: 10).rows.map(\.userID) == [fay, eve])
            #expect(try await board.page(.total, offset: 0, limit: 10).rows.map(\.score) == [4, 2])
            // Forty days on, only the total remembers anyone, and the old hours are gone.
            try await ScoreBook(database: database).refreshWindows(now: Date().addingTimeInterval(40 * 86400))
            try await ScoreBook(database: database).refreshRanks()
            #expect(try await board.page(.month, offset: 0, limit: 10).rows.isEmpty)
            #expect(try await board.page(.total, offset: 0, limit: 10).rows.count == 2)
            let buckets = try await database.withConnection { connection in
                var n = 0
                for try await count in try await connection.query("SELECT count(*)::int8 FROM user_stat_hours", logger: database.logger).decode(Int.self) { n = count }
                return n
            }
            #expect(buckets == 0)
            #expect(try await board.streak(of: eve)?.currentDays(at: Date()) == 0, "a streak starts at day 0")
            let before = try await board.streak(of: fay)
            try await record(database, fay, [.replyAccepted(.assistant)])
            let after = try await board.streak(of: fay)
            #expect(before != nil && after == before, "an acceptance is not Fay's own action and leaves her streak alone")
            #expect(after?.currentDays(at: Date()) == 0, "two days without her own action broke it")
        }
    }
}
