import Foundation
import PostgresNIO

/// Where the scores of committed transactions go when their caller has more to do: a request that submits a
/// task and then hands out the next one counts the submission's scores on a connection of their own meanwhile,
/// instead of waiting for those round trips before it starts on the next task.
///
/// Each count runs as a task of its own, not a child of the request: a request cancelled after its commit
/// (a client gone, a shutdown) still counts what it owes.
final class ScoreCountingQueue: @unchecked Sendable {
    @TaskLocal static var current: ScoreCountingQueue?

    private let lock = NSLock()
    private var counting: [Task<Void, Never>] = []

    func count(_ ledger: ScoreLedger, in database: Database) {
        let task = Task {
            do {
                try await database.withConnection { connection in await database.countScores(ledger, on: connection) }
            } catch {
                database.logger.error("scores of a committed action were not counted: \(String(reflecting: error)); \(ledger.summary)")
            }
        }
        lock.withLock { counting.append(task) }
    }

    func waitForAll() async {
        for task in lock.withLock({ counting }) { await task.value }
    }
}

extension Database {
    /// Runs `body`; scores owed by transactions committed inside it are counted alongside, each in a
    /// transaction of its own on another pooled connection, and all of them before this returns, also when
    /// `body` throws. So whoever reads scores after this returns sees them, as when they are counted right
    /// after each commit.
    public func countingScoresAlongside<Result: Sendable>(_ body: () async throws -> Result) async throws -> Result {
        let queue = ScoreCountingQueue()
        do {
            let result = try await ScoreCountingQueue.$current.withValue(queue) { try await body() }
            await queue.waitForAll()
            return result
        } catch {
            await queue.waitForAll()
            throw error
        }
    }
}
