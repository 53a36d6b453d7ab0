import Foundation
import Logging
import Metrics
import PostgresNIO

/// The one way into PostgreSQL: a pooled client plus the bookkeeping every store shares
/// (pool-use metrics, a bounded health check).
public final class Database: Sendable {
    public let client: PostgresClient
    public let url: DatabaseURL
    public let logger: Logger
    /// Tree contents shared by every store of this process; see `TreeSnapshotCache`.
    let treeSnapshots = TreeSnapshotCache()
    private let connectionsInUse = Meter(label: "oasst_db_connections_in_use")
    private let connectionWaits = Metrics.Timer(label: "oasst_db_connection_seconds")

    public init(url: DatabaseURL, logger: Logger) {
        self.url = url
        self.logger = logger
        self.client = PostgresClient(configuration: url.clientConfiguration, backgroundLogger: logger)
    }

    /// Runs `work` on one pooled connection, recording how many connections are busy.
    public func withConnection<Result: Sendable>(
        _ work: (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        let started = DispatchTime.now().uptimeNanoseconds
        return try await client.withConnection { connection in
            connectionWaits.recordNanoseconds(Int64(DispatchTime.now().uptimeNanoseconds - started))
            connectionsInUse.increment()
            defer { connectionsInUse.decrement() }
            return try await work(connection)
        }
    }

    /// Runs `work` inside one transaction: committed when it returns, rolled back when it throws.
    public func transaction<Result: Sendable>(
        _ work: (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        try await withConnection { connection in
            var attempt = 1
            while true {
                try await connection.query("BEGIN", logger: logger)
                let ledger = ScoreLedger()
                let journal = JournalBatch()
                do {
                    let result = try await JournalBatch.$current.withValue(journal) {
                        try await ScoreLedger.$current.withValue(ledger) { try await work(connection) }
                    }
                    try await journal.flush(on: connection, logger: logger)
                    try await connection.query("COMMIT", logger: logger)
                    if let queue = ScoreCountingQueue.current, !ledger.isEmpty {
                        queue.count(ledger, in: self)
                    } else {
                        await countScores(ledger, on: connection)
                    }
                    return result
                } catch {
                    _ = try? await connection.query("ROLLBACK", logger: logger)
                    // Rows locked in opposite orders by two transactions can still deadlock (scores are counted
                    // in one order, `ScoreLedger`, but other rows are not); Postgres then aborts one. It starts
                    // again, after a short random pause, so the person behind it sees their action succeed.
                    guard Self.isDeadlock(error), attempt < Self.deadlockAttempts else { throw error }
                    logger.info("transaction aborted by a deadlock; attempt \(attempt + 1) of \(Self.deadlockAttempts)")
                    attempt += 1
                    try await Task.sleep(for: .milliseconds(Int.random(in: 5...50)))
                }
            }
        }
    }

    static let deadlockAttempts = 4

    /// Counts the scores a committed transaction owes, in a transaction of their own.
    ///
    /// Counting them before the commit kept the submission's tree locked for four more round trips per
    /// credited contributor, waiting on score rows other submissions held, while everyone else's submits to
    /// that tree queued. The journal rows are already committed, so scores are derived data here: if counting
    /// fails the action still stands, the log names what was missed, and `oasst rescore` counts
    /// it from the journal.
    func countScores(_ ledger: ScoreLedger, on connection: PostgresConnection) async {
        guard !ledger.isEmpty else { return }
        // One action is one statement (`ScoreBook.record`), atomic alone: begin and commit were two more round trips.
        let transaction = ledger.actionCount > 1
        for attempt in 1...Self.deadlockAttempts {
            do {
                if transaction { try await connection.query("BEGIN", logger: logger) }
                try await ledger.count(on: connection, logger: logger)
                if transaction { try await connection.query("COMMIT", logger: logger) }
                return
            } catch {
                if transaction { _ = try? await connection.query("ROLLBACK", logger: logger) }
                if Self.isDeadlock(error), attempt < Self.deadlockAttempts { continue }
                logger.error("scores of a committed action were not counted: \(String(reflecting: error)); \(ledger.summary)")
                return
            }
        }
    }

    static func isDeadlock(_ error: Error) -> Bool {
        guard let error = error as? PSQLError, let state = error.serverInfo?[.sqlState] else { return false }
        return state == "40P01" || state == "40001"
    }

    /// True when the database answers `SELECT 1` within `timeout`; never waits longer.
    public func isReachable(timeout: Duration = .seconds(2)) async -> Bool {
        await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                do {
                    return try await self.withConnection { connection in
                        let rows = try await connection.query("SELECT 1", logger: self.logger)
                        for try await _ in rows {}
                        return true
                    }
                } catch {
                    return false
                }
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
    }
}

extension Database {
    /// Calls `receive` with the payload of every `NOTIFY` on `channel` until the task is cancelled.
    /// It holds one pooled connection while it listens.
    public func listen(on channel: String, receive: @Sendable (String) -> Void) async throws {
        try await withConnection { connection in
            try await connection.listen(on: channel) { notifications in
                for try await notification in notifications { receive(notification.payload) }
            }
        }
    }
}
