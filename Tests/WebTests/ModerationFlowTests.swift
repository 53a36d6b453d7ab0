import Foundation
import HummingbirdTesting
import Storage
import TestSupport
import Testing

@Suite("Moderation over HTTP")
struct ModerationFlowTests {
    func exportedText(_ database: Database) async throws -> String {
        var options = ExportOptions()
        options.state = nil
        let lines = CollectedLines()
        _ = try await TreeExporter(database: database).export(options, to: lines)
        return lines.lines.joined(separator: "\n")
    }

    @Test("report → flag queue → delete subtree → gone from tree page and export → undelete restores it")
    func deleteAndRestore() async throws {
        try await WebTestApp.run { client, database in
            let tree = try await Staff.growSmallTree(client, database)
            // Reviewed and accepted, the reply belongs in the export.
            for person in [tree.author, tree.reviewers[1], tree.reviewers[2]] {
                let review = try #require(try await person.takeTask(kind: "label_assistant_reply"))
                #expect(try await person.complete(review).status == .seeOther)
            }
            let reporter = tree.reviewers[1].visitor
            try await reporter.get("/messages/\(tree.rootID.path)")
            #expect(try await reporter.post("/messages/\(tree.replyID.path)/report", ["reason": "rude words"]).status == .seeOther)

            let moderator = try await Contributor.signIn(client, name: "Mod")
            try await Staff.promote(database, name: "Mod", to: .moderator)
            let queue = try await moderator.visitor.get("/moderation")
            #expect(queue.status == .ok)
            #expect(queue.text.contains("rude words") && queue.text.contains(tree.replyMarker))
            #expect(queue.text.contains(tree.rootMarker), "the queue shows the conversation that led to the message")
            #expect(try await exportedText(database).contains(tree.replyMarker))

            let noReason = try await moderator.visitor.post("/moderation/messages/\(tree.replyID.path)/delete", ["reason": " "])
            #expect(noReason.status == .badRequest && noReason.text.contains("audit log"))
            let deleted = try await moderator.visitor.post("/moderation/messages/\(tree.replyID.path)/delete",
                                                           ["reason": "abusive", "return_to": "/moderation"])
            #expect(deleted.status == .seeOther && deleted.location == "/moderation")
            #expect(try await moderator.visitor.get("/moderation").text.contains("Nothing waits for review"), "deleting settles the flag")

            let page = try await tree.author.visitor.get("/messages/\(tree.rootID.path)")
            #expect(page.status == .ok && page.text.contains(tree.rootMarker) && !page.text.contains(tree.replyMarker))
            let exported = try await exportedText(database)
            #expect(exported.contains(tree.rootMarker) && !exported.contains(tree.replyMarker))
            #expect(try await tree.author.visitor.get("/messages/\(tree.replyID.path)").status == .notFound)

            let audit = try await moderator.visitor.get("/moderation/audit")
            #expect(audit.text.contains("deleted a subtree") && audit.text.contains("abusive") && audit.text.contains("Mod"))

            let restored = try await moderator.visitor.post("/moderation/messages/\(tree.replyID.path)/undelete", ["reason": "reviewed again"])
            #expect(restored.status == .seeOther)
            #expect(try await tree.author.visitor.get("/messages/\(tree.rootID.path)").text.contains(tree.replyMarker))
            #expect(try await exportedText(database).contains(tree.replyMarker))
            #expect(try await moderator.visitor.get("/moderation/audit").text.contains("restored a subtree"))
        }
    }

    @Test("edits keep the original and every revision")
    func editHistory() async throws {
        try await WebTestApp.run { client, database in
            let tree = try await Staff.growSmallTree(client, database)
            let moderator = try await Contributor.signIn(client, name: "Mod")
            try await Staff.promote(database, name: "Mod", to: .moderator)
            try await moderator.visitor.get("/moderation/messages/\(tree.replyID.path)")
            let edited = try await moderator.visitor.post("/moderation/messages/\(tree.replyID.path)/edit",
                                                          ["text": "A corrected reply.", "reason": "typo"])
            #expect(edited.status == .seeOther)
            let page = try await moderator.visitor.get("/moderation/messages/\(tree.replyID.path)")
            #expect(page.text.contains("A corrected reply.") && page.text.contains(tree.replyMarker), "the original is kept in the history")
            #expect(try await Staff.scalar(database, "SELECT count(*)::int FROM message_revisions") == 2)
            #expect(try await Staff.scalar(database, "SELECT count(*)::int FROM messages WHERE edited") == 1)
            let same = try await moderator.visitor.post("/moderation/messages/\(tree.replyID.path)/edit",
                                                        ["text": "A corrected reply.", "reason": "again"])
            #expect(same.status == .conflict)
            let search = try await moderator.visitor.get("/moderation/messages?q=corrected&lang=en")
            #expect(search.status == .ok && search.text.contains("A corrected reply."))
            #expect(!(try await moderator.visitor.get("/moderation/messages?q=\(tree.replyMarker)").text.contains("/moderation/messages/\(tree.replyID.path)\"")),
                    "search reads the current text")
            #expect(try await moderator.visitor.get("/moderation/messages?lang=xx").status == .badRequest)
        }
    }

    @Test("a halted tree hands out no tasks until restarted")
    func haltStopsAssignment() async throws {
        try await WebTestApp.run { client, database in
            let tree = try await Staff.growSmallTree(client, database)
            #expect(try await tree.reviewers[2].takeTask(kind: "label_assistant_reply") != nil, "the reply waits for review")
            let moderator = try await Contributor.signIn(client, name: "Mod")
            try await Staff.promote(database, name: "Mod", to: .moderator)
            try await moderator.visitor.get("/moderation/messages/\(tree.rootID.path)")
            #expect(try await moderator.visitor.post("/moderation/trees/\(tree.rootID.path)/halt", ["reason": "off-topic thread"]).status == .seeOther)
            #expect(try await Staff.scalar(database, "SELECT count(*)::int FROM message_trees WHERE state = 'halted_by_moderator'") == 1)
            let late = try await Contributor.signIn(client, name: "Late")
            #expect(try await late.takeTask(kind: "label_assistant_reply") == nil)
            #expect(try await late.takeTask(kind: "prompter_reply") == nil)
            #expect(try await moderator.visitor.post("/moderation/trees/\(tree.rootID.path)/halt", ["reason": "twice"]).status == .conflict)
            #expect(try await moderator.visitor.post("/moderation/trees/\(tree.rootID.path)/restart", ["reason": "fine after all"]).status == .seeOther)
            #expect(try await Staff.scalar(database, "SELECT count(*)::int FROM message_trees WHERE state = 'growing'") == 1)
            #expect(try await late.takeTask(kind: "label_assistant_reply") != nil)
            let audit = try await moderator.visitor.get("/moderation/audit")
            #expect(audit.text.contains("halted a tree") && audit.text.contains("restarted a tree") && audit.text.contains("off-topic thread"))
        }
    }

    @Test("a ban ends the user's sessions at once; roles follow the rules")
    func banAndRoles() async throws {
        try await WebTestApp.run { client, database in
            let troll = try await Contributor.signIn(client, name: "Troll")
            let trollID = try await Staff.userID(database, name: "Troll")
            #expect(try await Staff.scalar(database, "SELECT count(*)::int FROM sessions WHERE user_id = \(trollID)") == 1)
            let moderator = try await Contributor.signIn(client, name: "Mod")
            try await Staff.promote(database, name: "Mod", to: .moderator)
            let page = try await moderator.visitor.get("/moderation/users/\(trollID.path)")
            #expect(page.status == .ok && page.text.contains("Troll"))
            #expect(try await moderator.visitor.post("/moderation/users/\(trollID.path)/notes", ["notes": "watch closely"]).status == .seeOther)
            #expect(try await moderator.visitor.post("/moderation/users/\(trollID.path)/ban", ["reason": "spamming links"]).status == .seeOther)
            #expect(try await Staff.scalar(database, "SELECT count(*)::int FROM sessions WHERE user_id = \(trollID)") == 0)
            let after = try await troll.visitor.get("/dashboard")
            #expect(after.status == .seeOther && after.location == "/signin", "the banned user is signed out everywhere")
            let user = try await moderator.visitor.get("/moderation/users/\(trollID.path)")
            #expect(user.text.contains("spamming links") && user.text.contains("watch closely") && user.text.contains("banned a user"))

            // Moderators cannot make moderators; admins can, but not change their own role.
            let helper = try await Contributor.signIn(client, name: "Helper")
            let helperID = try await Staff.userID(database, name: "Helper")
            try await moderator.visitor.get("/moderation/users/\(helperID.path)")
            #expect(try await moderator.visitor.post("/moderation/users/\(helperID.path)/role", ["role": "moderator", "reason": "trusted"]).status == .forbidden)
            let admin = try await Contributor.signIn(client, name: "Boss")
            try await Staff.promote(database, name: "Boss", to: .admin)
            try await admin.visitor.get("/moderation/users/\(helperID.path)")
            #expect(try await admin.visitor.post("/moderation/users/\(helperID.path)/role", ["role": "moderator", "reason": "trusted"]).status == .seeOther)
            #expect(try await helper.visitor.get("/moderation").status == .ok)
            let bossID = try await Staff.userID(database, name: "Boss")
            #expect(try await admin.visitor.post("/moderation/users/\(bossID.path)/role", ["role": "general", "reason": "oops"]).status == .forbidden)
            #expect(try await moderator.visitor.post("/moderation/users/\(bossID.path)/ban", ["reason": "coup"]).status == .forbidden)
            #expect(try await admin.visitor.post("/moderation/users/\(trollID.path)/unban", ["reason": "appeal accepted"]).status == .seeOther)
            #expect(try await Staff.scalar(database, "SELECT count(*)::int FROM users WHERE banned") == 0)
        }
    }
}
