import Feedback
import Foundation
import PostgresNIO

/// The scores a transaction owes, counted after it commits, one contributor at a time in id order.
///
/// A submission credits its author first and, when it completes a tree, the tree's rankers and reply authors
/// too. Counting each as it happens locks contributors' score rows in a different order in every transaction,
/// and two trees completed at the same moment by people who ranked each other's trees deadlocked (Postgres
/// notices only after a second, and the whole queue behind waits). Counted in one global order, in a
/// transaction that holds no tree, score rows cannot form a cycle.
final class ScoreLedger: @unchecked Sendable {
    @TaskLocal static var current: ScoreLedger?

    private let lock = NSLock()
    private var owed: [(userID: UUID, action: ScoredAction, at: Date)] = []

    func add(_ action: ScoredAction, userID: UUID, at date: Date) {
        lock.withLock { owed.append((userID, action, date)) }
    }

    var isEmpty: Bool { lock.withLock { owed.isEmpty } }

    /// How many actions are owed.
    var actionCount: Int { lock.withLock { owed.count } }

    /// What is owed, for a log line when it could not be counted.
    var summary: String {
        lock.withLock { owed.map { "\($0.action) for \($0.userID)" }.joined(separator: ", ") }
    }

    /// Counts everything owed, in contributor order (each contributor's actions in the order they happened).
    /// Nothing is forgotten, so a caller whose transaction was rolled back can count again.
    func count(on connection: PostgresConnection, logger: Logger) async throws {
        let entries = lock.withLock { () -> [(userID: UUID, action: ScoredAction, at: Date)] in
            owed.enumerated().sorted { a, b in
                a.element.userID.uuidString == b.element.userID.uuidString
                    ? a.offset < b.offset : a.element.userID.uuidString < b.element.userID.uuidString
            }.map(\.element)
        }
        for entry in entries {
            try await ScoreBook.record(entry.action, userID: entry.userID, now: entry.at, on: connection, logger: logger)
        }
    }
}
