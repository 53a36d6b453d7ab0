import Foundation
import HummingbirdTesting
import Storage
import TestSupport
import Testing

@Suite("Leaderboard, profiles and stats over HTTP")
struct LeaderboardPageTests {
    @Test("contributions appear on the leaderboard at the next ranking, ties in a stable order, the user highlighted, opt-out respected")
    func leaderboard() async throws {
        try await WebTestApp.run { client, database in
            let tree = try await Staff.growSmallTree(client, database)
            try await ScoreBook(database: database).refreshRanks()
            // Reviewer 1 labeled (2 points, full mode) and wrote an assistant reply (4); Reviewers 2 and 3 labeled: 2 each.
            let anonymous = Visitor(client)
            let board = try await anonymous.get("/leaderboard")
            #expect(board.status == .ok)
            let names = ["Reviewer 1", "Reviewer 2", "Reviewer 3", "Author"]
            let positions = names.map { board.text.range(of: ">\($0)<")?.lowerBound }
            #expect(positions.allSatisfy { $0 != nil }, "every contributor is listed")
            #expect(positions[0]! < positions[1]! && positions[0]! < positions[2]!, "the highest score comes first")
            let two = try await Staff.userID(database, name: "Reviewer 2"), three = try await Staff.userID(database, name: "Reviewer 3")
            #expect((positions[1]! < positions[2]!) == (two < three), "equal scores are ordered by user id")
            #expect(positions[2]! < positions[3]! && positions[1]! < positions[3]!)
            #expect(board.text.contains(">6<"), "Reviewer 1 has 2 + 4 points")
            #expect(board.text.contains("Ranked 20"), "the page says when the board was ranked")

            let mine = try await tree.reviewers[1].visitor.get("/leaderboard?frame=day")
            #expect(mine.text.contains("class=\"me\""))
            let elsewhere = try await tree.reviewers[1].visitor.get("/leaderboard?frame=day&page=2")
            #expect(elsewhere.text.contains("Your place") && elsewhere.text.contains("class=\"me\""), "on another page the reader sees their neighbours")
            let again = try await tree.reviewers[1].visitor.get("/leaderboard?frame=day&page=2")
            #expect(again.text.contains("Your place") && again.text.contains("class=\"me\""), "and the same from the kept fragment")
            #expect(try await anonymous.get("/leaderboard?frame=year").status == .badRequest)
            #expect(try await anonymous.get("/leaderboard?page=0").status == .badRequest)
            let empty = try await anonymous.get("/leaderboard?page=9")
            #expect(empty.status == .ok && empty.text.contains("Nobody has scored"))

            let oneID = try await Staff.userID(database, name: "Reviewer 1")
            let profile = try await anonymous.get("/users/\(oneID.path)")
            #expect(profile.status == .ok && profile.text.contains("Level 2") && profile.text.contains("6 points"))
            #expect(profile.text.contains("0-day streak"))

            try await tree.reviewers[0].visitor.get("/account")
            #expect(try await tree.reviewers[0].visitor.post("/account/leaderboard", ["show": "0"]).status == .seeOther)
            var shown = true
            for _ in 0..<30 where shown {
                // Pages read the board's version at most once a second.
                shown = try await anonymous.get("/leaderboard").text.contains(">Reviewer 1<")
                if shown { try await Task.sleep(for: .milliseconds(100)) }
            }
            #expect(!shown, "someone who leaves the board is gone from it within a second")
            #expect(try await anonymous.get("/users/\(oneID.path)").status == .notFound, "an opted-out profile is private")
            let own = try await tree.reviewers[0].visitor.get("/leaderboard")
            #expect(own.text.contains("You are hidden from the leaderboard"))
            #expect(try await tree.reviewers[0].visitor.get("/users/\(oneID.path)").status == .ok)
        }
    }

    @Test("the stats page draws its charts on the server")
    func stats() async throws {
        try await WebTestApp.run { client, database in
            _ = try await Staff.growSmallTree(client, database)
            let page = try await Visitor(client).get("/stats")
            #expect(page.status == .ok)
            #expect(page.text.contains("<svg") && page.text.contains("Trees by state") && page.text.contains("growing"))
            #expect(page.text.contains("Accepted messages by language") && page.text.contains(">en<"))
            #expect(!page.text.contains("<script"), "no chart library")
        }
    }
}
