import Foundation
import PostgresNIO
@testable import Storage
import TestSupport
import Testing

/// Search vectors are written after the message by the search indexer; a search indexes what waits first.
@Suite("Search index")
struct SearchIndexTests {
    func messageIDs(_ messages: [StoredMessage]) -> Set<UUID> { Set(messages.map(\.id)) }

    func idWithText(containing word: String, _ database: Database) async throws -> UUID {
        try await database.withConnection { connection in
            for try await id in try await connection.query(
                "SELECT id FROM messages WHERE text ~* ('\\m' || \(word) || '\\M') ORDER BY id LIMIT 1", logger: database.logger
            ).decode(UUID.self) {
                return id
            }
            throw SearchIndexTestFailure(reason: "no message contains \(word)")
        }
    }

    @Test("an import leaves every message waiting; catching up indexes each once and empties the queue")
    func importedMessagesWait() async throws {
        try await TestServer.withDatabase { database in
            _ = try await TreeImporter(database: database).importFile(at: try ImportRoundTripTests.sampleFile())
            let index = SearchIndex(database: database)
            #expect(try await index.waiting() == 1167)
            #expect(try await index.catchUp(batch: 400) == 1167)
            #expect(try await index.waiting() == 0)
            #expect(try await index.catchUp() == 0)
            let vectors = try await database.withConnection { connection in
                try await connection.query("SELECT count(*)::int FROM message_search", logger: database.logger).decode(Int.self)
                    .reduce(0) { $0 + $1 }
            }
            #expect(vectors == 1167)
        }
    }

    @Test("a search finds a message that was never indexed, and an edit is found by its new words only")
    func searchReadsCurrentText() async throws {
        try await TestServer.withDatabase { database in
            _ = try await TreeImporter(database: database).importFile(at: try ImportRoundTripTests.sampleFile())
            let search = MessageSearch(database: database)
            let target = try await idWithText(containing: "reinforcement", database)
            let found = try await search.search(query: "reinforcement", lang: nil, offset: 0, limit: 100)
            #expect(messageIDs(found).contains(target))
            #expect(found.allSatisfy { $0.text.localizedCaseInsensitiveContains("reinforcement") })

            try await database.withConnection { connection in
                try await connection.query("UPDATE messages SET text = 'zyxquorble only now' WHERE id = \(target)", logger: database.logger)
            }
            #expect(try await SearchIndex(database: database).waiting() == 1)
            #expect(messageIDs(try await search.search(query: "zyxquorble", lang: nil, offset: 0, limit: 100)) == [target])
            #expect(!messageIDs(try await search.search(query: "reinforcement", lang: nil, offset: 0, limit: 100)).contains(target))
        }
    }

    @Test("a search waits for at most a bounded part of a backlog")
    func searchIndexesABoundedBacklog() async throws {
        try await TestServer.withDatabase { database in
            _ = try await TreeImporter(database: database).importFile(at: try ImportRoundTripTests.sampleFile())
            _ = try await MessageSearch(database: database).search(query: "the", lang: nil, offset: 0, limit: 10)
            let left = try await SearchIndex(database: database).waiting()
            #expect(left == max(0, 1167 - MessageSearch.indexedBeforeSearch))
        }
    }
}

struct SearchIndexTestFailure: Error { var reason: String }
