import Foundation
import HummingbirdTesting
import PostgresNIO
import Storage
import TestSupport
import Testing

@Suite("Contributor tasks over HTTP")
struct TaskFlowTests {
    func scalar(_ database: Database, _ query: PostgresQuery) async throws -> Int {
        try await database.withConnection { connection in
            var value = 0
            for try await n in try await connection.query(query, logger: database.logger).decode(Int.self) { value = n }
            return value
        }
    }

    @Test("contributors taking random tasks grow a default tree to ready_for_export with ranks")
    func treeReachesExport() async throws {
        // Each submit offers the next task of its kind, which these contributors leave for a random one. An open
        // reply task holds its message for everyone else for five minutes; at the test's pace enough of them
        // soon hold every message the trees could grow from, and the trees wait out the five minutes.
        try await WebTestApp.run(adjusting: { $0.recentTaskSpanSeconds = 1 }) { client, database in
            var people: [Contributor] = []
            for index in 1...8 { people.append(try await Contributor.signIn(client, name: "Contributor \(index)")) }
            var exported = 0
            var rounds = 0
            while exported == 0 && rounds < 400 {
                rounds += 1
                for person in people {
                    guard let task = try await person.takeTask() else { continue }
                    let result = try await person.complete(task)
                    #expect(result.status == .seeOther, "submit of \(task.kind) answered \(result.status): \(result.text.prefix(300))")
                }
                exported = try await scalar(database, "SELECT count(*)::int FROM message_trees WHERE state = 'ready_for_export'")
            }
            let states = try await database.withConnection { connection in
                var states: [String] = []
                for try await (state, count) in try await connection.query(
                    "SELECT state, count(*)::int FROM message_trees GROUP BY state ORDER BY state", logger: database.logger
                ).decode((String, Int).self) { states.append("\(state): \(count)") }
                return states.joined(separator: ", ")
            }
            #expect(exported >= 1, "no tree reached ready_for_export in \(rounds) rounds; trees by state: \(states)")
            let treeRoot = try await database.withConnection { connection in
                var id = UUID()
                for try await value in try await connection.query(
                    "SELECT id FROM message_trees WHERE state = 'ready_for_export' LIMIT 1", logger: database.logger
                ).decode(UUID.self) { id = value }
                return id
            }
            let page = try await people[0].visitor.get("/messages/\(treeRoot.uuidString.lowercased())")
            #expect(page.status == .ok && page.text.contains("ready for export"))
            #expect(page.text.contains("spam 0.00 (3)"), "the tree page summarises each message's labels")
            let ranked = try await scalar(database, """
                SELECT count(*)::int FROM messages m JOIN message_trees t ON t.id = m.tree_id
                WHERE t.state = 'ready_for_export' AND m.rank IS NOT NULL
                """)
            #expect(ranked >= 2, "consensus ranks are written")
            let size = try await scalar(database, """
                SELECT coalesce(min(c), 0)::int FROM (SELECT count(*) AS c FROM messages m JOIN message_trees t ON t.id = m.tree_id
                WHERE t.state = 'ready_for_export' AND m.review_result AND NOT m.deleted GROUP BY t.id) s
                """)
            #expect(size >= 12, "an exported tree holds the goal size of accepted messages")
        }
    }

    @Test("concurrent reviews of the same prompt advance its tree exactly once")
    func concurrentReviews() async throws {
        try await WebTestApp.run { client, database in
            let author = try await Contributor.signIn(client, name: "Author")
            let prompt = try #require(try await author.takeTask(kind: "initial_prompt"))
            try await author.complete(prompt)
            var reviewers: [(Contributor, Contributor.TaskPage)] = []
            for index in 1...3 {
                let reviewer = try await Contributor.signIn(client, name: "Reviewer \(index)")
                let task = try #require(try await reviewer.takeTask(kind: "label_initial_prompt"))
                reviewers.append((reviewer, task))
            }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (reviewer, task) in reviewers {
                    group.addTask { _ = try await reviewer.complete(task) }
                }
                try await group.waitForAll()
            }
            #expect(try await scalar(database, "SELECT review_count FROM messages WHERE parent_id IS NULL") == 3)
            #expect(try await scalar(database, "SELECT count(*)::int FROM labels WHERE kind = 'task'") == 3)
            #expect(try await scalar(database, "SELECT count(*)::int FROM journal WHERE action = 'tree_state' AND payload->>'state' = 'prompt_lottery_waiting'") == 1)
            #expect(try await scalar(database, "SELECT count(*)::int FROM journal WHERE action = 'prompt_accepted'") == 1)
        }
    }

    @Test("bad submissions get clear messages on the page, never a 500")
    func validation() async throws {
        try await WebTestApp.run { client, database in
            let author = try await Contributor.signIn(client, name: "Writer")
            let task = try #require(try await author.takeTask(kind: "initial_prompt"))
            let empty = try await author.visitor.post("/tasks/\(task.id)", ["text": "   \n  "])
            #expect(empty.status == .unprocessableContent && empty.text.contains("empty"))
            let long = try await author.visitor.post("/tasks/\(task.id)", ["text": String(repeating: "a", count: 2001)])
            #expect(long.status == .unprocessableContent && long.text.contains("2000"))
            let ok = try await author.visitor.post("/tasks/\(task.id)", ["text": "How do volcanoes form?"])
            #expect(ok.status == .seeOther)
            let again = try await author.visitor.post("/tasks/\(task.id)", ["text": "How do mountains form?"])
            #expect(again.status == .conflict, "a finished task cannot be submitted twice")
            let second = try #require(try await author.takeTask(kind: "initial_prompt"))
            let duplicate = try await author.visitor.post("/tasks/\(second.id)", ["text": "How do volcanoes form?"])
            #expect(duplicate.status == .unprocessableContent && duplicate.text.contains("exactly this text"))
            // An expired task is refused, and nothing of the refused submission stays: the task is still open.
            let aged = try await scalar(database, """
                UPDATE tasks SET created_at = now() - interval '3 days' WHERE id = \(UUID(uuidString: second.id)) RETURNING 1
                """)
            #expect(aged == 1)
            let expired = try await author.visitor.post("/tasks/\(second.id)", ["text": "Why is the sky blue?"])
            #expect(expired.status == .conflict && expired.text.contains("expired"))
            #expect(try await scalar(database, """
                SELECT count(*)::int FROM tasks WHERE id = \(UUID(uuidString: second.id)) AND NOT done
                """) == 1)
            #expect(try await scalar(database, "SELECT count(*)::int FROM messages WHERE text = 'Why is the sky blue?'") == 0)

            let stranger = try await Contributor.signIn(client, name: "Stranger")
            try await stranger.visitor.get("/tasks")
            #expect(try await stranger.visitor.get("/tasks/\(second.id)").status == .notFound, "a foreign task is not shown")
            #expect(try await stranger.visitor.get("/tasks/not-a-uuid").status == .notFound)

            let review = try #require(try await stranger.takeTask(kind: "label_initial_prompt"))
            let missing = try await stranger.visitor.post("/tasks/\(review.id)", ["label_quality": "0.5"])
            #expect(missing.status == .unprocessableContent && missing.text.contains("Please answer"))
            let outOfRange = try await stranger.visitor.post("/tasks/\(review.id)", ["label_spam": "7"])
            #expect(outOfRange.status == .unprocessableContent)
            let foreign = try await stranger.visitor.post("/tasks/\(review.id)", ["label_spam": "0", "label_nonsense": "1"])
            #expect(foreign.status == .unprocessableContent)
        }
    }

    @Test("task requests are rate limited per user")
    func taskRequestLimit() async throws {
        try await TestServer.withDatabase { database in
            var configuration = WebTestApp.configuration(database: database)
            configuration.taskRequestsPerFourMinutes = 3
            try await WebTestApp.run(configuration: configuration, database: database) { client in
                let person = try await Contributor.signIn(client, name: "Eager")
                for _ in 1...3 {
                    try await person.visitor.get("/tasks")
                    #expect(try await person.visitor.post("/tasks/new", ["kind": "initial_prompt"]).status == .seeOther)
                }
                try await person.visitor.get("/tasks")
                let fourth = try await person.visitor.post("/tasks/new", ["kind": "initial_prompt"])
                #expect(fourth.status == .tooManyRequests && fourth.text.contains("Please wait"))
            }
        }
    }

    @Test("an open reply task holds its message for others, and the reply frees it")
    func openReplyTaskHoldsItsParent() async throws {
        try await WebTestApp.run { client, database in
            try await acceptedPrompt(client)
            let writer = try await Contributor.signIn(client, name: "Writer")
            let other = try await Contributor.signIn(client, name: "Other")
            let held = try #require(try await writer.takeTask(kind: "assistant_reply"), "the accepted prompt wants replies")
            #expect(try await other.takeTask(kind: "assistant_reply") == nil, "the prompt is held while the writer's task is open")
            #expect(try await writer.complete(held).status == .seeOther)
            #expect(try await other.takeTask(kind: "assistant_reply") != nil, "after the reply, the prompt wants more replies")
        }
    }

    @Test("skipping a task and reporting a message")
    func skipAndReport() async throws {
        try await WebTestApp.run { client, database in
            let author = try await Contributor.signIn(client, name: "Asker")
            let prompt = try #require(try await author.takeTask(kind: "initial_prompt"))
            try await author.complete(prompt)
            let reviewer = try await Contributor.signIn(client, name: "Skipper")
            let task = try #require(try await reviewer.takeTask(kind: "label_initial_prompt"))
            let skipped = try await reviewer.visitor.post("/tasks/\(task.id)/skip", ["reason": "unsure"])
            #expect(skipped.location == "/tasks?notice=skipped")
            #expect(try await reviewer.takeTask(kind: "label_initial_prompt") == nil, "a skipped message is not offered again")

            let rootID = try await database.withConnection { connection in
                var id = UUID()
                for try await value in try await connection.query("SELECT id FROM messages WHERE parent_id IS NULL", logger: database.logger).decode(UUID.self) { id = value }
                return id
            }
            let tree = try await reviewer.visitor.get("/messages/\(rootID.uuidString.lowercased())")
            #expect(tree.status == .ok && tree.text.contains("writes message 1"))
            try await reviewer.visitor.post("/messages/\(rootID.uuidString.lowercased())/emoji", ["emoji": "+1"])
            let reported = try await reviewer.visitor.post("/messages/\(rootID.uuidString.lowercased())/report", ["reason": "spam link"])
            #expect(reported.status == .seeOther)
            #expect(try await scalar(database, "SELECT count(*)::int FROM flagged_messages WHERE NOT processed") == 1)
            #expect(try await scalar(database, "SELECT (emojis->>'+1')::int FROM messages WHERE parent_id IS NULL") == 1)
            #expect(try await scalar(database, "SELECT (emojis->>'red_flag')::int FROM messages WHERE parent_id IS NULL") == 1)
        }
    }

    @Test("a task whose tree changed under it is closed, and no longer counts as pending")
    func changedTreeClosesTheTask() async throws {
        try await WebTestApp.run { client, database in
            try await acceptedPrompt(client)
            let writer = try await Contributor.signIn(client, name: "Writer")
            let task = try #require(try await writer.takeTask(kind: "assistant_reply"))
            #expect(try await scalar(database, "SELECT count(*)::int FROM tasks WHERE kind = 'assistant_reply' AND NOT done AND NOT skipped") == 1)
            // A moderator deletes the prompt while the reply is being written.
            try await database.withConnection { connection in
                _ = try await connection.query("UPDATE messages SET deleted = true WHERE parent_id IS NULL", logger: database.logger)
            }
            #expect(try await writer.complete(task).status == .conflict)
            #expect(try await scalar(database, "SELECT count(*)::int FROM tasks WHERE kind = 'assistant_reply' AND NOT done AND NOT skipped") == 0)
            #expect(try await scalar(database, "SELECT count(*)::int FROM tasks WHERE skipped AND skip_reason = 'tree changed'") == 1)
            #expect(try await scalar(database, "SELECT count(*)::int FROM messages WHERE parent_id IS NOT NULL") == 0)
        }
    }

    /// One prompt, written and accepted by three reviews: a tree that wants replies.
    func acceptedPrompt(_ client: any TestClientProtocol) async throws {
        let author = try await Contributor.signIn(client, name: "Asker")
        try await author.complete(try #require(try await author.takeTask(kind: "initial_prompt")))
        for index in 1...3 {
            let reviewer = try await Contributor.signIn(client, name: "Reviewer \(index)")
            try await reviewer.complete(try #require(try await reviewer.takeTask(kind: "label_initial_prompt")))
        }
    }
}
