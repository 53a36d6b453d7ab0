import Feedback
import Foundation
import PostgresNIO

/// The append-only record of accepted actions; scores and leaderboards are derived from it.
enum Journal {
    static func record(
        action: String, userID: UUID?, messageID: UUID? = nil, treeID: UUID? = nil, taskID: UUID? = nil,
        payload: [String: String] = [:], on connection: PostgresConnection, logger: Logger
    ) async throws {
        let row = JournalBatch.Row(userID: userID, action: action, messageID: messageID, treeID: treeID, taskID: taskID, payload: payload)
        if let batch = JournalBatch.current {
            // Inside `Database.transaction` the row goes in with the others: by the transaction's write, or just
            // before the commit.
            batch.add(row)
        } else {
            let json = String(decoding: try JSONEncoder().encode([row]), as: UTF8.self)
            try await connection.query("SELECT journal_append(\(json)::jsonb)", logger: logger)
        }
        if let userID, let scored = ScoredAction(journalAction: action, payload: payload) {
            // Inside `Database.transaction` the score is counted after the commit, in contributor order (`ScoreLedger`).
            if let ledger = ScoreLedger.current {
                ledger.add(scored, userID: userID, at: Date())
            } else {
                try await ScoreBook.record(scored, userID: userID, now: Date(), on: connection, logger: logger)
            }
        }
    }
}
