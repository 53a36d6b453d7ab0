import Foundation
import Hummingbird
import HummingbirdTesting
import Storage
import Testing

/// The chat over HTTP with the real default model: streams, resuming, stop, branches, drafts,
/// continue, limits and privacy between users.
@Suite("Chat", .serialized)
struct ChatTests {
    @Test("a reply streams as several token events, then done with the whole text")
    func streamsTokens() async throws {
        try await ChatTestApp.run { client, database in
            let user = try await ChatUser.signIn(client, name: "Streamer", database: database)
            let chat = try await user.newChat()
            let reply = try await user.send("Write a short poem about the sea.", in: chat)
            let events = try await user.events(chat, reply: reply)
            let tokens = events.filter { $0.name == "token" }
            #expect(tokens.count >= 3)
            #expect(events.last?.name == "done")
            #expect(events.map(\.id) == events.map(\.id).sorted())
            let done = try #require(events.last)
            #expect(done.data["text"] as? String == tokens.map(\.text).joined())
            #expect((done.data["html"] as? String)?.isEmpty == false)
            // The page shows the finished reply with its branch controls.
            let page = try await user.visitor.get(chat)
            #expect(page.text.contains("/messages/\(reply)/retry"))
            #expect(!page.text.contains("data-stream="))
        }
    }

    @Test("reconnecting with Last-Event-ID gives exactly the rest of the reply")
    func resumesAfterLastEventID() async throws {
        try await ChatTestApp.run { client, database in
            let user = try await ChatUser.signIn(client, name: "Resumer", database: database)
            let chat = try await user.newChat()
            let reply = try await user.send("Tell me about mountains.", in: chat)
            let all = try await user.events(chat, reply: reply)
            let tokens = all.filter { $0.name == "token" }
            try #require(tokens.count >= 2)
            let cut = tokens[tokens.count / 2]
            let rest = try await user.events(chat, reply: reply, lastEventID: cut.id)
            #expect(rest.first?.id == cut.id + 1)
            #expect(rest.map(\.id) == all.filter { $0.id > cut.id }.map(\.id))
            let seen = tokens.filter { $0.id <= cut.id }.map(\.text).joined()
            let remainder = rest.filter { $0.name == "token" }.map(\.text).joined()
            #expect(seen + remainder == all.last?.data["text"] as? String)
            // A second reader (another tab) gets the same events.
            let logged = all.filter { $0.name != "queue" }.map(\.id)
            #expect(try await user.events(chat, reply: reply).filter { $0.name != "queue" }.map(\.id) == logged)
        }
    }

    @Test("stop ends a running reply and keeps what it wrote")
    func stopKeepsPartialText() async throws {
        try await ChatTestApp.run(maxNewTokens: 1000) { client, database in
            let user = try await ChatUser.signIn(client, name: "Stopper", database: database)
            let chat = try await user.newChat()
            let reply = try await user.send("Write a very long story about a lighthouse keeper.", in: chat)
            let log = ChatEventLog(database: database)
            let replyID = try #require(UUID(uuidString: reply))
            let deadline = Date().addingTimeInterval(120)
            while try await log.events(of: replyID, after: 0).filter({ $0.kind == "token" }).count < 2, Date() < deadline {
                try await Task.sleep(for: .milliseconds(100))
            }
            try await user.visitor.get(chat)
            let stopped = try await user.visitor.post("\(chat)/messages/\(reply)/stop")
            #expect(stopped.status == .seeOther)
            let events = try await user.events(chat, reply: reply)
            let done = try #require(events.last)
            #expect(done.name == "done")
            #expect(done.data["state"] as? String == "cancelled")
            let text = events.filter { $0.name == "token" }.map(\.text).joined()
            #expect(!text.isEmpty)
            #expect(done.data["text"] as? String == text)
            let stored = try #require(try await ChatStore(database: database).entry(replyID))
            #expect(stored.content == text)
            #expect(stored.state == .cancelled)
            #expect((stored.completionTokens ?? 1000) < 1000)
        }
    }

    @Test("retry adds a sibling reply and edit adds a sibling message; the pager switches between them")
    func retryAndEditMakeBranches() async throws {
        try await ChatTestApp.run { client, database in
            let user = try await ChatUser.signIn(client, name: "Brancher", database: database)
            let chat = try await user.newChat()
            let first = try await user.send("Name a colour.", in: chat)
            _ = try await user.events(chat, reply: first)
            try await user.visitor.get(chat)
            let second = try ChatUser.replyID(try await user.visitor.post("\(chat)/messages/\(first)/retry", ["drafts": "1"]))
            _ = try await user.events(chat, reply: second)
            var page = try await user.visitor.get(chat)
            #expect(page.text.contains("2/2"))
            #expect(page.text.contains("?at=\(first)"))
            page = try await user.visitor.get("\(chat)?at=\(first)")
            #expect(page.text.contains("1/2"))
            // The branch last looked at is remembered.
            page = try await user.visitor.get(chat)
            #expect(page.text.contains("1/2"))

            let chatID = try #require(UUID(uuidString: String(chat.dropFirst("/chats/".count))))
            let messages = try await ChatStore(database: database).messages(chatID: chatID)
            let question = try #require(messages.first { $0.role == .prompter })
            let edited = try ChatUser.replyID(try await user.visitor.post(
                "\(chat)/messages/\(question.id.uuidString.lowercased())/edit", ["text": "Name a fruit."]
            ))
            _ = try await user.events(chat, reply: edited)
            page = try await user.visitor.get(chat)
            #expect(page.text.contains("<p>Name a fruit.</p>"))
            #expect(!page.text.contains("<p>Name a colour.</p>"))
            #expect(page.text.contains("2/2"))
            let after = try await ChatStore(database: database).messages(chatID: chatID)
            #expect(after.filter { $0.role == .prompter }.count == 2)
            #expect(after.filter { $0.role == .assistant }.count == 3)
        }
    }

    @Test("a reply cut off at the length limit can be continued, appending to the same message")
    func continueAppends() async throws {
        try await ChatTestApp.run(maxNewTokens: 12) { client, database in
            let user = try await ChatUser.signIn(client, name: "Continuer", database: database)
            let chat = try await user.newChat()
            var reply = try await user.send("Explain how rain forms, step by step, in detail.", in: chat)
            var events = try await user.events(chat, reply: reply)
            // A small model may end early; ask again until a reply is cut off by the limit.
            for _ in 0..<4 where events.last?.data["finish_reason"] as? String != "length" {
                try await user.visitor.get(chat)
                reply = try ChatUser.replyID(try await user.visitor.post("\(chat)/messages/\(reply)/retry", ["drafts": "1"]))
                events = try await user.events(chat, reply: reply)
            }
            try #require(events.last?.data["finish_reason"] as? String == "length")
            let before = try #require(events.last?.data["text"] as? String)
            var page = try await user.visitor.get(chat)
            #expect(page.text.contains("/messages/\(reply)/continue"))
            let continued = try await user.visitor.post("\(chat)/messages/\(reply)/continue")
            #expect(continued.status == .seeOther)
            let resumed = try await user.events(chat, reply: reply, lastEventID: events.last!.id)
            let done = try #require(resumed.last)
            #expect(done.name == "done")
            let after = try #require(done.data["text"] as? String)
            #expect(after.hasPrefix(before))
            #expect(after.count > before.count)
            let replyID = try #require(UUID(uuidString: reply))
            let stored = try #require(try await ChatStore(database: database).entry(replyID))
            #expect(stored.content == after)
            // Only a cut-off reply can be continued.
            if stored.finishReason == "stop" {
                page = try await user.visitor.post("\(chat)/messages/\(reply)/continue")
                #expect(page.status == .badRequest)
            }
        }
    }

    @Test("drafts are written side by side and the pick is stored as a comparison")
    func draftsAndPick() async throws {
        try await ChatTestApp.run(maxNewTokens: 8) { client, database in
            let user = try await ChatUser.signIn(client, name: "Picker", database: database)
            let chat = try await user.newChat()
            let first = try await user.send("Suggest a name for a cat.", in: chat)
            _ = try await user.events(chat, reply: first)
            try await user.visitor.get(chat)
            let retried = try await user.visitor.post("\(chat)/messages/\(first)/retry", ["drafts": "3"])
            let shown = try ChatUser.replyID(retried)
            let chatID = try #require(UUID(uuidString: String(chat.dropFirst("/chats/".count))))
            let drafts = try await ChatStore(database: database).messages(chatID: chatID).filter { $0.draftGroup != nil }
            #expect(drafts.count == 3)
            for draft in drafts { _ = try await user.events(chat, reply: draft.id.uuidString.lowercased()) }
            var page = try await user.visitor.get(chat)
            #expect(page.text.contains("Draft 3"))
            let picked = drafts[2].id.uuidString.lowercased()
            #expect(try await user.visitor.post("\(chat)/messages/\(picked)/pick").status == .seeOther)
            let comparisons = try await ChatStore(database: database).comparisons(chatID: chatID)
            #expect(comparisons.count == 1)
            #expect(comparisons.first?.selected == drafts[2].id)
            #expect(Set(comparisons.first?.inferior ?? []) == Set([drafts[0].id, drafts[1].id]))
            page = try await user.visitor.get(chat)
            #expect(!page.text.contains("Draft 3"))
            #expect(page.text.contains("4/4"))
            _ = shown
            // Retry with a draft count outside 1...3 is refused with a message.
            let bad = try await user.visitor.post("\(chat)/messages/\(picked)/retry", ["drafts": "7"])
            #expect(bad.status == .badRequest)
        }
    }

    @Test("one reply at a time, the per-user reply limit, and empty or oversized messages are refused on the page")
    func limits() async throws {
        try await ChatTestApp.run(maxNewTokens: 16, repliesPerWindow: 2) { client, database in
            let user = try await ChatUser.signIn(client, name: "Limited", database: database)
            let chat = try await user.newChat()
            let reply = try await user.send("Hello there!", in: chat)
            try await user.visitor.get(chat)
            let second = try await user.visitor.post("\(chat)/messages", ["text": "Are you there?", "parent": reply])
            #expect(second.status == .conflict || second.status == .badRequest)
            #expect(second.text.contains("still being written") || second.text.contains("once the assistant"))
            _ = try await user.events(chat, reply: reply)
            try await user.visitor.get(chat)
            let empty = try await user.visitor.post("\(chat)/messages", ["text": "   ", "parent": reply])
            #expect(empty.status == .badRequest)
            #expect(empty.text.contains("write a message"))
            let long = try await user.visitor.post("\(chat)/messages", ["text": String(repeating: "a", count: 9000), "parent": reply])
            #expect(long.status == .badRequest)
            let third = try await user.send("Second question.", in: chat, parent: reply)
            _ = try await user.events(chat, reply: third)
            try await user.visitor.get(chat)
            let limited = try await user.visitor.post("\(chat)/messages", ["text": "Third question.", "parent": third])
            #expect(limited.status == .tooManyRequests)
            #expect(limited.headers[.retryAfter] != nil)
        }
    }

    @Test("another user cannot read, stream, vote on, share or export someone else's chat")
    func privacy() async throws {
        try await ChatTestApp.run { client, database in
            let owner = try await ChatUser.signIn(client, name: "Owner", database: database)
            let chat = try await owner.newChat()
            let reply = try await owner.send("A private question.", in: chat)
            _ = try await owner.events(chat, reply: reply)
            let other = try await ChatUser.signIn(client, name: "Stranger", database: database)
            try await other.visitor.get("/chats")
            #expect(try await other.visitor.get(chat).status == .notFound)
            #expect(try await other.visitor.get("\(chat)/messages/\(reply)/events").status == .notFound)
            #expect(try await other.visitor.get("\(chat)/export.json").status == .notFound)
            for action in ["vote", "stop", "retry", "continue", "report", "pick"] {
                let page = try await other.visitor.post("\(chat)/messages/\(reply)/\(action)", ["score": "1"])
                #expect(page.status == .notFound, "\(action) answered \(page.status)")
            }
            for action in ["share", "unshare", "delete", "settings", "hide"] {
                #expect(try await other.visitor.post("\(chat)/\(action)", ["title": "mine"]).status == .notFound)
            }
            // Signed out, the chat sends people to sign in.
            let anonymous = Visitor(client)
            let page = try await anonymous.get(chat)
            #expect(page.status == .seeOther)
            #expect(page.location?.hasPrefix("/signin") == true)
            // The owner's chat is untouched.
            #expect(try await owner.visitor.get(chat).status == .ok)
        }
    }

    @Test("share links are read-only and revocable; exports, votes, reports, settings, hiding and deleting work")
    func shareExportAndSettings() async throws {
        try await ChatTestApp.run { client, database in
            let user = try await ChatUser.signIn(client, name: "Sharer", database: database)
            let chat = try await user.newChat()
            let reply = try await user.send("What is **markdown**?", in: chat)
            _ = try await user.events(chat, reply: reply)
            try await user.visitor.get(chat)
            #expect(try await user.visitor.post("\(chat)/share").status == .seeOther)
            var page = try await user.visitor.get(chat)
            let link = try #require(Visitor.firstMatch(in: page.text, after: "id=\"share-link\">")?.components(separatedBy: "<").first)
            let anonymous = Visitor(client)
            let shared = try await anonymous.get(link)
            #expect(shared.status == .ok)
            #expect(shared.text.contains("<strong>markdown</strong>"))
            #expect(!shared.text.contains("/retry"))
            try await user.visitor.post("\(chat)/unshare")
            #expect(try await anonymous.get(link).status == .notFound)

            let markdown = try await user.visitor.get("\(chat)/export.md")
            #expect(markdown.headers[.contentDisposition]?.contains("attachment") == true)
            #expect(markdown.text.contains("What is **markdown**?"))
            let json = try await user.visitor.get("\(chat)/export.json")
            let object = try #require(try JSONSerialization.jsonObject(with: Data(json.text.utf8)) as? [String: Any])
            #expect((object["messages"] as? [[String: Any]])?.count == 2)

            try await user.visitor.get(chat)
            try await user.visitor.post("\(chat)/messages/\(reply)/vote", ["score": "1"])
            let replyID = try #require(UUID(uuidString: reply))
            #expect(try await ChatStore(database: database).entry(replyID)?.score == 1)
            try await user.visitor.post("\(chat)/messages/\(reply)/vote", ["score": "1"])
            #expect(try await ChatStore(database: database).entry(replyID)?.score == 0)
            #expect(try await user.visitor.post("\(chat)/messages/\(reply)/vote", ["score": "5"]).status == .badRequest)
            try await user.visitor.post("\(chat)/messages/\(reply)/report", ["reason": "made things up"])
            #expect(try await ChatStore(database: database).reportCount(replyID) == 1)

            try await user.visitor.post("\(chat)/settings", [
                "title": "Renamed", "system_prompt": "Answer briefly.", "preset": "nucleus9", "data_use_form": "1",
            ])
            page = try await user.visitor.get(chat)
            #expect(page.text.contains("Renamed"))
            #expect(page.text.contains("not used for training"))
            #expect(try await user.visitor.post("\(chat)/settings", ["preset": "nonsense"]).status == .badRequest)
            try await user.visitor.get(chat)
            let hidden = try await user.visitor.post("\(chat)/hide")
            #expect(hidden.status == .seeOther, "hide answered \(hidden.status): \(hidden.text.prefix(200))")
            #expect(!(try await user.visitor.get("/chats").text.contains("Renamed")))
            #expect(try await user.visitor.get("/chats?hidden=1").text.contains("Renamed"))
            try await user.visitor.post("\(chat)/unhide")
            #expect(try await user.visitor.get("/chats").text.contains("Renamed"))
            try await user.visitor.post("\(chat)/delete")
            #expect(try await user.visitor.get(chat).status == .notFound)
        }
    }
}
