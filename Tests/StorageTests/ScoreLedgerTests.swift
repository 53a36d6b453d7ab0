import Feedback
import Foundation
import PostgresNIO
@testable import Storage
import TestSupport
import Testing

/// Scores owed by a transaction are counted after its commit, in contributor order, so transactions that credit
/// the same people in different orders cannot deadlock on their score rows.
@Suite("Score ledger")
struct ScoreLedgerTests {
    let book = ScoreBookTests()

    func journal(_ action: ScoredAction, for user: UUID, on connection: PostgresConnection, _ database: Database) async throws {
        let entry = action.journalEntry
        try await Journal.record(action: entry.action, userID: user, payload: entry.payload, on: connection, logger: database.logger)
    }

    func total(_ database: Database, _ user: UUID) async throws -> ContributionCounts? {
        try await Leaderboard(database: database).stats(of: user).first { $0.frame == .total }?.counts
    }

    @Test("a transaction holds no one's score rows until it commits, and then counts what it owes")
    func scoresWaitForTheCommit() async throws {
        try await TestServer.withDatabase { database in
            let ann = try await book.makeUsers(database, ["Ann"])[0]
            try await book.record(database, ann, [.ranked])
            try await database.transaction { connection in
                try await journal(.labeled(.full), for: ann, on: connection, database)
                // Another connection may lock Ann's score rows at once: nothing of hers is locked yet.
                try await database.withConnection { other in
                    try await other.query("BEGIN", logger: database.logger)
                    try await other.query("SELECT 1 FROM user_stats WHERE user_id = \(ann) FOR UPDATE NOWAIT", logger: database.logger)
                    try await other.query("SELECT 1 FROM user_stat_hours WHERE user_id = \(ann) FOR UPDATE NOWAIT", logger: database.logger)
                    try await other.query("ROLLBACK", logger: database.logger)
                }
                #expect(try await total(database, ann)?.labelsFull == 0, "not counted before the commit")
            }
            let counts = try #require(try await total(database, ann))
            #expect(counts.labelsFull == 1 && counts.rankingsTotal == 1)
            let score = try await Leaderboard(database: database).stats(of: ann).first { $0.frame == .total }?.score
            #expect(score == ScoringRules.leaderScore(counts), "the stored score is the rule's score of the new counts")
        }
    }

    @Test("two transactions crediting the same people in opposite orders both commit, each counted once")
    func oppositeOrdersBothCommit() async throws {
        try await TestServer.withDatabase { database in
            let ids = try await book.makeUsers(database, ["Ann", "Ben"])
            for id in ids { try await book.record(database, id, [.ranked]) }
            func credit(_ first: UUID, then second: UUID) async throws {
                try await database.transaction { connection in
                    try await journal(.labeled(.full), for: first, on: connection, database)
                    // Long enough for the other transaction to credit both people in between.
                    try await connection.query("SELECT pg_sleep(0.3)", logger: database.logger)
                    try await journal(.labeled(.full), for: second, on: connection, database)
                }
            }
            async let one: Void = credit(ids[0], then: ids[1])
            async let two: Void = credit(ids[1], then: ids[0])
            _ = try await (one, two)
            for id in ids {
                #expect(try await total(database, id)?.labelsFull == 2)
            }
        }
    }

    @Test("scores counted alongside: all counted when the scope returns, also when it throws after a commit; a rollback owes nothing")
    func countedAlongside() async throws {
        struct Refused: Error {}
        try await TestServer.withDatabase { database in
            let ids = try await book.makeUsers(database, ["Ann", "Ben"])
            try await database.countingScoresAlongside {
                for _ in 1...3 {
                    try await database.transaction { connection in
                        try await journal(.labeled(.full), for: ids[0], on: connection, database)
                        try await journal(.labeled(.full), for: ids[1], on: connection, database)
                    }
                }
            }
            for id in ids { #expect(try await total(database, id)?.labelsFull == 3) }

            await #expect(throws: Refused.self) {
                try await database.countingScoresAlongside {
                    try await database.transaction { connection in
                        try await journal(.labeled(.full), for: ids[0], on: connection, database)
                    }
                    _ = try? await database.transaction { connection in
                        try await journal(.labeled(.full), for: ids[1], on: connection, database)
                        throw Refused()
                    }
                    throw Refused()
                }
            }
            #expect(try await total(database, ids[0])?.labelsFull == 4, "committed before the error: counted")
            #expect(try await total(database, ids[1])?.labelsFull == 3, "rolled back: not counted")

            // A request cancelled after its commit (its client gone) still counts what it owes.
            let committed = AsyncStream.makeStream(of: Void.self)
            let request = Task {
                try await database.countingScoresAlongside {
                    try await database.transaction { connection in
                        try await journal(.labeled(.full), for: ids[1], on: connection, database)
                    }
                    committed.continuation.yield()
                    try await Task.sleep(for: .seconds(30))
                }
            }
            for await _ in committed.stream { break }
            request.cancel()
            await #expect(throws: CancellationError.self) { try await request.value }
            #expect(try await total(database, ids[1])?.labelsFull == 4, "committed, then cancelled: counted")
        }
    }
}
