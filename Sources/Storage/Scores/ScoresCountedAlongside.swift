import Foundation
import PostgresNIO

/// Where the scores of committed transactions go when their caller has more to do: a request that submits a
/// task and then hands out the next one counts the submission's scores on a connection of their own meanwhile,
/// instead of waiting for those round trips before it starts on the next task.
struct ScoreCountingQueue: Sendable {
    @TaskLocal static var current: ScoreCountingQueue?

    let ledgers: AsyncStream<ScoreLedger>.Continuation
}

extension Database {
    /// Runs `body`; scores owed by transactions committed inside it are counted alongside, each in a
    /// transaction of its own on another pooled connection, and all of them before this returns. So whoever
    /// reads scores after this returns sees them, as when they are counted right after each commit.
    public func countingScoresAlongside<Result: Sendable>(_ body: () async throws -> Result) async throws -> Result {
        let (ledgers, continuation) = AsyncStream.makeStream(of: ScoreLedger.self)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for await ledger in ledgers {
                    do {
                        try await self.withConnection { connection in await self.countScores(ledger, on: connection) }
                    } catch {
                        self.logger.error("scores of a committed action were not counted: \(String(reflecting: error)); \(ledger.summary)")
                    }
                }
            }
            let outcome: Swift.Result<Result, Error>
            do {
                outcome = .success(try await ScoreCountingQueue.$current.withValue(ScoreCountingQueue(ledgers: continuation)) { try await body() })
            } catch {
                outcome = .failure(error)
            }
            continuation.finish()
            try await group.waitForAll()
            return try outcome.get()
        }
    }
}
