import Foundation
import PostgresNIO
@testable import Storage
import TestSupport
import Testing

/// Journal rows of a transaction are inserted together just before it commits: in the order they were
/// recorded, with every field, and not at all when it rolls back.
@Suite("Journal batch")
struct JournalBatchTests {
    struct Failure: Error {}

    func rows(_ database: Database) async throws -> [(UUID?, String, UUID?, UUID?, String)] {
        try await database.withConnection { connection in
            var found: [(UUID?, String, UUID?, UUID?, String)] = []
            for try await row in try await connection.query(
                "SELECT user_id, action, message_id, task_id, payload::text FROM journal ORDER BY id", logger: database.logger
            ).decode((UUID?, String, UUID?, UUID?, String).self) {
                found.append(row)
            }
            return found
        }
    }

    @Test("rows keep their order and fields, are invisible until the commit, and vanish with a rollback")
    func rowsLandAtTheCommit() async throws {
        try await TestServer.withDatabase { database in
            let ann = try await ScoreBookTests().makeUsers(database, ["Ann"])[0]
            let message = UUID(), task = UUID()
            try await database.transaction { connection in
                try await Journal.record(action: "wrote_reply", userID: ann, messageID: message, taskID: task,
                                         payload: ["role": "assistant"], on: connection, logger: database.logger)
                try await Journal.record(action: "auto_deleted", userID: nil, messageID: message, on: connection, logger: database.logger)
                try await Journal.record(action: "tree_state", userID: ann, payload: ["state": "ranking"], on: connection, logger: database.logger)
                #expect(try await rows(database).isEmpty, "nothing is visible before the commit")
            }
            let written = try await rows(database)
            #expect(written.map(\.1) == ["wrote_reply", "auto_deleted", "tree_state"])
            #expect(written[0].0 == ann && written[0].2 == message && written[0].3 == task && written[0].4 == #"{"role": "assistant"}"#)
            #expect(written[1].0 == nil && written[1].2 == message && written[1].3 == nil && written[1].4 == "{}")
            #expect(written[2].4 == #"{"state": "ranking"}"#)

            await #expect(throws: Failure.self) {
                try await database.transaction { connection in
                    try await Journal.record(action: "labeled", userID: ann, on: connection, logger: database.logger)
                    throw Failure()
                }
            }
            #expect(try await rows(database).count == 3, "a rolled-back transaction leaves no row")
        }
    }
}
