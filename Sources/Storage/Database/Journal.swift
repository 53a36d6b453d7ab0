import Feedback
import Foundation
import PostgresNIO

/// The append-only record of accepted actions; scores and leaderboards are derived from it.
enum Journal {
    static func record(
        action: String, userID: UUID?, messageID: UUID? = nil, treeID: UUID? = nil, taskID: UUID? = nil,
        payload: [String: String] = [:], on connection: PostgresConnection, logger: Logger
    ) async throws {
        if let batch = JournalBatch.current {
            // Inside `Database.transaction` the row is inserted with the others just before the commit.
            batch.add(JournalBatch.Row(userID: userID, action: action, messageID: messageID, treeID: treeID, taskID: taskID, payload: payload))
        } else {
            let json = String(decoding: try JSONSerialization.data(withJSONObject: payload, options: [.sortedKeys]), as: UTF8.self)
            try await connection.query("""
                INSERT INTO journal (user_id, action, message_id, tree_id, task_id, payload)
                VALUES (\(userID), \(action), \(messageID), \(treeID), \(taskID), \(json)::jsonb)
                """, logger: logger)
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
