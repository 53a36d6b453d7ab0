import Foundation
import PostgresNIO
@testable import Storage
import TestSupport
import Testing

/// The conversation above a task: from the root down to a message, nothing from other branches.
@Suite("Conversation of a message")
struct TreeConversationTests {
    @Test("runs from the root to the message, one parent at a time; an unknown message has none")
    func followsTheParents() async throws {
        try await TestServer.withDatabase { database in
            _ = try await TreeImporter(database: database).importFile(at: try ImportRoundTripTests.sampleFile())
            let deepest = try await database.withConnection { connection in
                var found: (UUID, Int)?
                for try await row in try await connection.query(
                    "SELECT id, depth FROM messages ORDER BY depth DESC, id LIMIT 1", logger: database.logger
                ).decode((UUID, Int).self) {
                    found = row
                }
                return found
            }
            let (messageID, depth) = try #require(deepest)
            #expect(depth >= 2, "the sample has branches deep enough to tell")
            let store = TreeStore(database: database)
            let path = try await store.conversation(endingAt: messageID)
            #expect(path.count == depth + 1)
            #expect(path.first?.parentID == nil)
            #expect(path.last?.id == messageID)
            #expect(path.map(\.depth) == Array(0...depth))
            for (parent, child) in zip(path, path.dropFirst()) {
                #expect(child.parentID == parent.id)
            }
            #expect(try await store.conversation(endingAt: UUID()).isEmpty)
        }
    }
}
