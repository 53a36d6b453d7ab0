import Feedback
import Foundation
import Storage
import TestSupport
import Testing

/// The chat work queue and event log in PostgreSQL, driven as a worker would drive them (no model
/// needed: the worker's text is written directly), and the export of chats.
@Suite("Chat queue and export")
struct ChatQueueTests {
    static let plan = ChatStore.ReplyPlan(parametersJSON: "{}", model: "test-model")

    /// Claims the reply and writes `text` as the worker would, in two appends.
    static func write(_ text: String, queue: ChatQueue, finish reason: String = "stop") async throws {
        let claimed = try await queue.claim(limit: 1)
        let reply = try #require(claimed.first)
        let half = text.index(text.startIndex, offsetBy: text.count / 2)
        _ = try await queue.append(String(text[..<half]), to: reply.id)
        _ = try await queue.append(String(text[half...]), to: reply.id)
        try await queue.finish(reply.id, .init(state: .complete, finishReason: reason, model: "test-model", completionTokens: 2))
    }

    @Test("claims go oldest first, once; the log and the content agree; the thread reaches the worker")
    func claimsAndLogs() async throws {
        try await TestServer.withDatabase { database in
            let user = try await UserStore(database: database).findOrCreate(email: "queue@example.org")
            let other = try await UserStore(database: database).findOrCreate(email: "queue2@example.org")
            let chats = ChatStore(database: database)
            let first = try await chats.create(userID: user.id, systemPrompt: "Be brief.")
            let second = try await chats.create(userID: other.id)
            let a = try await chats.send("First question", chatID: first.id, userID: user.id, parentID: nil, plan: Self.plan)
            let b = try await chats.send("Other question", chatID: second.id, userID: other.id, parentID: nil, plan: Self.plan)
            let log = ChatEventLog(database: database)
            #expect(try await log.queuePosition(of: a.reply) == 1)
            #expect(try await log.queuePosition(of: b.reply) == 2)
            let one = ChatQueue(database: database, worker: "one")
            let two = ChatQueue(database: database, worker: "two")
            let claimedByOne = try await one.claim(limit: 1)
            let claimedByTwo = try await two.claim(limit: 5)
            #expect(claimedByOne.map(\.id) == [a.reply])
            #expect(claimedByTwo.map(\.id) == [b.reply])
            #expect(try await one.claim(limit: 5).isEmpty)
            #expect(claimedByOne.first?.thread.map(\.content) == ["First question"])
            #expect(try await log.queuePosition(of: a.reply) == nil)

            _ = try await one.append("Hello", to: a.reply)
            _ = try await one.append(", world", to: a.reply)
            try await one.finish(a.reply, .init(state: .complete, finishReason: "stop", seed: 42, model: "test-model", completionTokens: 3))
            let events = try await log.events(of: a.reply, after: 0)
            #expect(events.map(\.kind) == ["token", "token", "done"])
            #expect(events.map(\.seq) == [1, 2, 3])
            #expect(try await log.events(of: a.reply, after: 1).map(\.seq) == [2, 3])
            let stored = try #require(try await chats.entry(a.reply))
            #expect(stored.content == "Hello, world")
            #expect(stored.state == .complete)
            #expect(stored.seed == "42")
        }
    }

    @Test("one reply at a time per user, and a full queue says busy")
    func admission() async throws {
        try await TestServer.withDatabase { database in
            let user = try await UserStore(database: database).findOrCreate(email: "busy@example.org")
            var limits = ChatLimits.default
            limits.maxQueued = 1
            let chats = ChatStore(database: database, limits: limits)
            let chat = try await chats.create(userID: user.id)
            let first = try await chats.send("One", chatID: chat.id, userID: user.id, parentID: nil, plan: Self.plan)
            await #expect(throws: ChatRules.Refusal.replyInProgress) {
                try await chats.retry(first.message, chatID: chat.id, userID: user.id, plan: Self.plan)
            }
            let someoneElse = try await UserStore(database: database).findOrCreate(email: "else@example.org")
            let theirs = try await chats.create(userID: someoneElse.id)
            await #expect(throws: ChatRules.Refusal.queueFull) {
                try await chats.send("Two", chatID: theirs.id, userID: someoneElse.id, parentID: nil, plan: Self.plan)
            }
            // Someone else's chat is not found, whoever asks.
            await #expect(throws: ChatFailure.notFound) {
                try await chats.send("Mine now", chatID: chat.id, userID: someoneElse.id, parentID: nil, plan: Self.plan)
            }
        }
    }

    @Test("a restarted worker marks what it was writing as interrupted; a silent worker's replies are swept")
    func recovery() async throws {
        try await TestServer.withDatabase { database in
            let user = try await UserStore(database: database).findOrCreate(email: "crash@example.org")
            let chats = ChatStore(database: database)
            let chat = try await chats.create(userID: user.id)
            let sent = try await chats.send("Tell me a story", chatID: chat.id, userID: user.id, parentID: nil, plan: Self.plan)
            let before = ChatQueue(database: database, worker: "host:8080")
            try await before.heartbeat()
            _ = try await before.claim(limit: 1)
            _ = try await before.append("Once upon", to: sent.reply)
            // The same worker name starting again: its earlier life is gone.
            let after = ChatQueue(database: database, worker: "host:8080")
            #expect(try await after.recoverAfterRestart(startedAt: Date()) == 1)
            let stored = try #require(try await chats.entry(sent.reply))
            #expect(stored.state == .interrupted)
            #expect(stored.content == "Once upon")
            let events = try await ChatEventLog(database: database).events(of: sent.reply, after: 0)
            #expect(events.last?.kind == "error")
            // Finishing late changes nothing: the reply already ended.
            try await before.finish(sent.reply, .init(state: .complete, model: "m"))
            #expect(try await chats.entry(sent.reply)?.state == .interrupted)
            // Retry works after an interruption.
            let retried = try await chats.retry(sent.message, chatID: chat.id, userID: user.id, plan: Self.plan)
            #expect(retried.count == 1)
        }
    }

    @Test("stop dequeues a waiting reply at once and flags a running one")
    func stop() async throws {
        try await TestServer.withDatabase { database in
            let user = try await UserStore(database: database).findOrCreate(email: "stop@example.org")
            let chats = ChatStore(database: database)
            let chat = try await chats.create(userID: user.id)
            let waiting = try await chats.send("Wait", chatID: chat.id, userID: user.id, parentID: nil, plan: Self.plan)
            #expect(try await chats.requestStop(waiting.reply, chatID: chat.id, userID: user.id))
            #expect(try await chats.entry(waiting.reply)?.state == .cancelled)
            #expect(try await ChatEventLog(database: database).events(of: waiting.reply, after: 0).map(\.kind) == ["done"])
            let running = try await chats.retry(waiting.message, chatID: chat.id, userID: user.id, plan: Self.plan)[0]
            let queue = ChatQueue(database: database, worker: "w")
            _ = try await queue.claim(limit: 1)
            #expect(try await queue.append("partial", to: running) == false)
            #expect(try await chats.requestStop(running, chatID: chat.id, userID: user.id))
            #expect(try await queue.append(" text", to: running) == true)
            #expect(try await queue.stopRequested(running))
            #expect(try await chats.requestStop(waiting.reply, chatID: chat.id, userID: user.id) == false)
        }
    }

    @Test("the chat export leaves out opted-out chats, API calls and unfinished replies")
    func exportHonoursDataUse() async throws {
        try await TestServer.withDatabase { database in
            let user = try await UserStore(database: database).findOrCreate(email: "export@example.org")
            let chats = ChatStore(database: database)
            let queue = ChatQueue(database: database, worker: "w")
            let shared = try await chats.create(userID: user.id)
            let sent = try await chats.send("Shared question", chatID: shared.id, userID: user.id, parentID: nil, plan: Self.plan)
            try await Self.write("Shared answer", queue: queue)
            try await chats.vote(sent.reply, chatID: shared.id, userID: user.id, score: 1)
            let privateChat = try await chats.create(userID: user.id)
            _ = try await chats.send("Private question", chatID: privateChat.id, userID: user.id, parentID: nil, plan: Self.plan)
            try await Self.write("Private answer", queue: queue)
            try await chats.update(privateChat.id, userID: user.id, .init(allowDataUse: false))
            _ = try await chats.startConversation(userID: user.id, systemPrompt: nil, turns: [(.prompter, "API question")], plan: Self.plan)
            try await Self.write("API answer", queue: queue)
            // A reply still waiting is not exported.
            _ = try await chats.send("Later question", chatID: shared.id, userID: user.id, parentID: sent.reply, plan: Self.plan)

            let lines = CollectedLines()
            let counts = try await ChatExporter(database: database).export(to: lines)
            #expect(counts.trees == 1)
            let text = lines.lines.joined(separator: "\n")
            #expect(text.contains("Shared question") && text.contains("Shared answer") && text.contains("Later question"))
            #expect(!text.contains("Private") && !text.contains("API"))
            let tree = try #require(try JSONSerialization.jsonObject(with: Data(lines.lines[0].utf8)) as? [String: Any])
            let prompt = try #require(tree["prompt"] as? [String: Any])
            let reply = try #require((prompt["replies"] as? [[String: Any]])?.first)
            #expect(reply["synthetic"] as? Bool == true)
            #expect(reply["model_name"] as? String == "test-model")
            #expect((reply["emojis"] as? [String: Int])?["+1"] == 1)
        }
    }
}
