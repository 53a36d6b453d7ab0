import Foundation
import HummingbirdTesting
import PostgresNIO
import Storage
import TestSupport

/// Roles and ids for people the tests signed in, set the way an admin's command line would.
enum Staff {
    static func userID(_ database: Database, name: String) async throws -> UUID {
        try await database.withConnection { connection in
            for try await id in try await connection.query(
                "SELECT id FROM users WHERE display_name = \(name)", logger: database.logger
            ).decode(UUID.self) {
                return id
            }
            throw UserStore.Failure.notFound
        }
    }

    static func firstMessageID(_ database: Database) async throws -> UUID? {
        try await database.withConnection { connection in
            for try await id in try await connection.query(
                "SELECT id FROM messages ORDER BY created_at LIMIT 1", logger: database.logger
            ).decode(UUID.self) {
                return id
            }
            return nil
        }
    }

    static func promote(_ database: Database, name: String, to role: User.Role) async throws {
        try await UserStore(database: database).setRole(id: try await userID(database, name: name), role: role)
    }

    static func scalar(_ database: Database, _ query: PostgresQuery) async throws -> Int {
        try await database.withConnection { connection in
            var value = 0
            for try await n in try await connection.query(query, logger: database.logger).decode(Int.self) { value = n }
            return value
        }
    }

    /// A prompt accepted by three reviewers and one assistant reply to it, grown through the task pages.
    struct SmallTree {
        var author: Contributor
        var reviewers: [Contributor]
        var rootID: UUID
        var replyID: UUID
        var replyMarker: String
        var rootMarker: String
    }

    static func growSmallTree(_ client: any TestClientProtocol, _ database: Database) async throws -> SmallTree {
        let author = try await Contributor.signIn(client, name: "Author")
        guard let prompt = try await author.takeTask(kind: "initial_prompt") else { throw Inbox.Failure(description: "no prompt task") }
        try await author.complete(prompt)
        var reviewers: [Contributor] = []
        for index in 1...3 {
            let reviewer = try await Contributor.signIn(client, name: "Reviewer \(index)")
            guard let task = try await reviewer.takeTask(kind: "label_initial_prompt") else { throw Inbox.Failure(description: "no review task") }
            try await reviewer.complete(task)
            reviewers.append(reviewer)
        }
        // The accepted prompt waits in the lottery until a task request draws it.
        guard let reply = try await reviewers[0].takeTask(kind: "assistant_reply") else {
            throw Inbox.Failure(description: "the accepted prompt did not start growing")
        }
        try await reviewers[0].complete(reply)
        return try await database.withConnection { connection in
            var rows: [(UUID, UUID?, String)] = []
            for try await row in try await connection.query(
                "SELECT id, parent_id, text FROM messages ORDER BY depth", logger: database.logger
            ).decode((UUID, UUID?, String).self) {
                rows.append(row)
            }
            guard rows.count == 2 else { throw Inbox.Failure(description: "expected a prompt and a reply, found \(rows.count) messages") }
            // Each text ends in a random eight-character tag and a full stop.
            func marker(_ text: String) -> String { String(text.dropLast().suffix(8)) }
            return SmallTree(author: author, reviewers: reviewers, rootID: rows[0].0, replyID: rows[1].0,
                             replyMarker: marker(rows[1].2), rootMarker: marker(rows[0].2))
        }
    }
}

extension UUID {
    var path: String { uuidString.lowercased() }
}
