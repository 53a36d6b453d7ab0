import Feedback
import Foundation
import PostgresNIO
@testable import Storage
import TestSupport
import Testing

/// Task requests read active trees through a cache checked against the version every change stamps on a tree;
/// whatever changes a tree, and however, the next read must show it.
@Suite("Tree snapshot cache")
struct TreeSnapshotCacheTests {
    /// Imports the shared sample and makes three of its trees active, growing English trees.
    func activeSample(_ database: Database) async throws -> [UUID] {
        _ = try await TreeImporter(database: database).importFile(at: try ImportRoundTripTests.sampleFile())
        return try await database.withConnection { connection in
            var ids: [UUID] = []
            for try await id in try await connection.query("""
                UPDATE message_trees SET state = 'growing', active = true, lang = 'en'
                WHERE id IN (SELECT id FROM message_trees ORDER BY id LIMIT 3) RETURNING id
                """, logger: database.logger).decode(UUID.self) {
                ids.append(id)
            }
            return ids.sorted()
        }
    }

    func activeTrees(_ database: Database) async throws -> [UUID: TreeSnapshot] {
        let trees = try await database.withConnection { connection in
            try await TreeStore(database: database).activeTrees(lang: "en", on: connection)
        }
        return Dictionary(uniqueKeysWithValues: trees.map { ($0.id, $0) })
    }

    /// A contributor of our own: imported messages may have no author.
    func newAuthor(_ database: Database) async throws -> UUID {
        let id = UUID()
        try await execute(database, "INSERT INTO users (id, display_name) VALUES (\(id), 'cache test author')")
        return id
    }

    func execute(_ database: Database, _ query: PostgresQuery) async throws {
        try await database.withConnection { connection in _ = try await connection.query(query, logger: database.logger) }
    }

    @Test("a second read is served from the cache, and only while nothing changed")
    func servesUnchangedTreesFromTheCache() async throws {
        try await TestServer.withDatabase { database in
            let ids = try await activeSample(database)
            let first = try await activeTrees(database)
            #expect(Set(first.keys) == Set(ids))
            #expect(database.treeSnapshots.count == 3)

            // Contents planted at the current version are what the next read returns: proof it did not reread.
            let tree = ids[0]
            let current = try await version(of: tree, database)
            var planted = try #require(database.treeSnapshots.contents(of: tree, at: current))
            planted.messages = Array(planted.messages.prefix(1))
            database.treeSnapshots.store(planted, for: tree)
            #expect(try await activeTrees(database)[tree]?.messages.count == 1)

            // Any change to one of its messages moves the version, and the tree is read again in full.
            let message = try #require(first[tree]?.messages.last)
            try await execute(database, "UPDATE messages SET review_count = 7 WHERE id = \(message.id)")
            let after = try await activeTrees(database)
            #expect(after[tree]?.messages.count == first[tree]?.messages.count)
            #expect(after[tree]?.message(message.id)?.reviewCount == 7)
            #expect(after[ids[1]] == first[ids[1]])
        }
    }

    @Test("new, deleted and ranked messages all show on the next read")
    func everyKindOfChangeShows() async throws {
        try await TestServer.withDatabase { database in
            let ids = try await activeSample(database)
            let tree = ids[1]
            let before = try #require(try await activeTrees(database)[tree])
            let root = try #require(before.messages.first { $0.parentID == nil })
            let author = try await newAuthor(database)
            let added = UUID()
            try await execute(database, """
                INSERT INTO messages (id, tree_id, parent_id, role, text, lang, depth, author_id)
                VALUES (\(added), \(tree), \(root.id), 'assistant', 'a new reply', 'en', 1, \(author))
                """)
            #expect(try await activeTrees(database)[tree]?.message(added) != nil)

            let replies = before.children(of: root.id).map(\.id)
            try await execute(database, """
                INSERT INTO rankings (id, parent_message_id, tree_id, user_id, ranked_message_ids)
                VALUES (\(UUID()), \(root.id), \(tree), \(author), \(replies))
                """)
            #expect(try await activeTrees(database)[tree]?.rankings.count == before.rankings.count + 1)

            try await execute(database, "DELETE FROM message_search_queue WHERE message_id = \(added)")
            try await execute(database, "DELETE FROM messages WHERE id = \(added)")
            let last = try #require(try await activeTrees(database)[tree])
            #expect(last.message(added) == nil)
            #expect(last.messages.count == before.messages.count)
        }
    }

    @Test("what a rolled-back transaction read is never served afterwards")
    func rolledBackContentsStayUnseen() async throws {
        try await TestServer.withDatabase { database in
            let ids = try await activeSample(database)
            let tree = ids[2]
            let before = try #require(try await activeTrees(database)[tree])
            let root = try #require(before.messages.first { $0.parentID == nil })
            let added = UUID()
            let author = try await newAuthor(database)
            try await database.withConnection { connection in
                try await connection.query("BEGIN", logger: database.logger)
                try await connection.query("""
                    INSERT INTO messages (id, tree_id, parent_id, role, text, lang, depth, author_id)
                    VALUES (\(added), \(tree), \(root.id), 'assistant', 'never kept', 'en', 1, \(author))
                    """, logger: database.logger)
                let inside = try await TreeStore(database: database).lockedSnapshot(tree, on: connection)
                #expect(inside?.message(added) != nil)
                try await connection.query("ROLLBACK", logger: database.logger)
            }
            let after = try #require(try await activeTrees(database)[tree])
            #expect(after.message(added) == nil)
            #expect(after == before)
        }
    }

    @Test("trees that leave the active set leave the cache")
    func inactiveTreesAreForgotten() async throws {
        try await TestServer.withDatabase { database in
            let ids = try await activeSample(database)
            _ = try await activeTrees(database)
            try await execute(database, "UPDATE message_trees SET active = false, state = 'ready_for_export' WHERE id = \(ids[0])")
            #expect(Set(try await activeTrees(database).keys) == Set(ids.dropFirst()))
            #expect(database.treeSnapshots.count == 2)
        }
    }

    @Test("a version seen inside a rolled-back transaction never labels other contents")
    func rolledBackVersionsAreNeverReused() async throws {
        try await TestServer.withDatabase { database in
            let ids = try await activeSample(database)
            let tree = ids[0]
            let root = try #require(try await activeTrees(database)[tree]?.messages.first { $0.parentID == nil })
            let author = try await newAuthor(database)
            let discarded = UUID()
            // Inside the transaction the tree is read (and cached) with the message it is about to lose.
            try await database.withConnection { connection in
                try await connection.query("BEGIN", logger: database.logger)
                try await connection.query("""
                    INSERT INTO messages (id, tree_id, parent_id, role, text, lang, depth, author_id)
                    VALUES (\(discarded), \(tree), \(root.id), 'assistant', 'rolled back', 'en', 1, \(author))
                    """, logger: database.logger)
                #expect(try await TreeStore(database: database).lockedSnapshot(tree, on: connection)?.message(discarded) != nil)
                try await connection.query("ROLLBACK", logger: database.logger)
            }
            // One committed change afterwards: a counter would now be back at the version the cache holds.
            let kept = UUID()
            try await execute(database, """
                INSERT INTO messages (id, tree_id, parent_id, role, text, lang, depth, author_id)
                VALUES (\(kept), \(tree), \(root.id), 'assistant', 'kept', 'en', 1, \(author))
                """)
            let after = try #require(try await activeTrees(database)[tree])
            #expect(after.message(kept) != nil)
            #expect(after.message(discarded) == nil)
        }
    }

    @Test("thumbs, skips and moderators' edits stamp the tree too")
    func reactionsAndEditsMoveTheVersion() async throws {
        try await TestServer.withDatabase { database in
            let ids = try await activeSample(database)
            let tree = ids[1]
            let message = try #require(try await activeTrees(database)[tree]?.messages.first)
            let voter = try await newAuthor(database)
            var last = try await version(of: tree, database)

            try await Reactions(database: database).toggle(.thumbsUp, messageID: message.id, userID: voter)
            let afterThumbs = try await version(of: tree, database)
            #expect(afterThumbs != last)
            #expect(try await activeTrees(database)[tree]?.message(message.id)?.emojis[.thumbsUp] == 1)
            last = afterThumbs

            try await ContentModeration(database: database).edit(messageID: message.id, text: "edited by a moderator", moderator: voter, reason: "test")
            #expect(try await version(of: tree, database) != last)
            // Other trees keep theirs, so they stay cached.
            let other = try await version(of: ids[2], database)
            try await Reactions(database: database).toggle(.thumbsUp, messageID: message.id, userID: voter)
            #expect(try await version(of: ids[2], database) == other)
        }
    }

    func version(of tree: UUID, _ database: Database) async throws -> Int64 {
        try await database.withConnection { connection in
            var found: Int64 = 0
            for try await value in try await connection.query(
                "SELECT version FROM message_trees WHERE id = \(tree)", logger: database.logger
            ).decode(Int64.self) {
                found = value
            }
            return found
        }
    }
}
