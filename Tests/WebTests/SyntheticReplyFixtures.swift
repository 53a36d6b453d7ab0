import Foundation
import PostgresNIO
import Storage

/// Trees written straight into a test database, for the model-written reply tests.
enum SyntheticReplyFixtures {
    /// A database error with its cause spelled out (PostgresNIO hides it from plain descriptions).
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    static func explained<T>(_ work: () async throws -> T) async throws -> T {
        do {
            return try await work()
        } catch {
            throw Failure(description: String(reflecting: error))
        }
    }

    struct Reply {
        var modelName: String?
        var accepted: Bool?
    }

    static func user(_ database: Database, name: String) async throws -> UUID {
        let id = UUID()
        try await explained {
            try await database.withConnection { connection in
                try await connection.query("INSERT INTO users (id, display_name) VALUES (\(id), \(name))", logger: database.logger)
            }
        }
        return id
    }

    /// A tree with an accepted prompt by `author` and `replies` under it (human replies by fresh users); the root id.
    @discardableResult
    static func tree(_ database: Database, state: String = "growing", author: UUID, prompt: String, replies: [Reply] = []) async throws -> UUID {
        let root = UUID()
        var authors: [UUID] = []
        for (index, reply) in replies.enumerated() where reply.modelName == nil {
            authors.append(try await user(database, name: "Replier \(index) \(root.uuidString.prefix(6))"))
        }
        try await explained { try await database.transaction { connection in
            try await connection.query("""
                INSERT INTO message_trees (id, state, active, lang, goal_tree_size, max_depth, max_children_count)
                VALUES (\(root), \(state), true, 'en', 12, 3, 3)
                """, logger: database.logger)
            try await connection.query("""
                INSERT INTO messages (id, tree_id, parent_id, role, text, lang, depth, author_id, review_count, review_result, children_count)
                VALUES (\(root), \(root), NULL, 'prompter', \(prompt), 'en', 0, \(author), 3, true, \(replies.count))
                """, logger: database.logger)
            var humans = authors.makeIterator()
            for (index, reply) in replies.enumerated() {
                let replyAuthor = reply.modelName == nil ? humans.next()! : TaskDesk.modelAuthorID
                try await connection.query("""
                    INSERT INTO messages (id, tree_id, parent_id, role, text, lang, depth, author_id, review_count, review_result, synthetic, model_name)
                    VALUES (\(UUID()), \(root), \(root), 'assistant', \("Reply number \(index + 1) to the prompt."), 'en', 1, \(replyAuthor),
                            \(reply.accepted == nil ? 0 : 3), \(reply.accepted), \(reply.modelName != nil), \(reply.modelName))
                    """, logger: database.logger)
            }
        } }
        return root
    }

    static func scalar(_ database: Database, _ query: PostgresQuery) async throws -> Int {
        try await database.withConnection { connection in
            var value = 0
            for try await n in try await connection.query(query, logger: database.logger).decode(Int.self) { value = n }
            return value
        }
    }
}
