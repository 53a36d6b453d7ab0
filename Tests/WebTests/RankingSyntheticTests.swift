import Foundation
import Storage
import Testing

/// Rankers judge replies, not their authors: a model's name shows only when every reply in the set is a model's.
@Suite("Model replies in ranking tasks")
struct RankingSyntheticTests {
    typealias Fixtures = SyntheticReplyFixtures

    @Test("a set mixing human and model replies hides which is which")
    func mixedSetHidesTheModel() async throws {
        try await WebTestApp.run { client, database in
            let author = try await Fixtures.user(database, name: "Prompt author")
            try await Fixtures.tree(database, state: "ranking", author: author, prompt: "How do I boil an egg?", replies: [
                .init(modelName: "tiny-model-7", accepted: true), .init(modelName: nil, accepted: true), .init(modelName: nil, accepted: true),
            ])
            let ranker = try await Contributor.signIn(client, name: "Ranker")
            let task = try #require(try await ranker.takeTask(kind: "rank_assistant_replies"))
            #expect(Contributor.rankedReplyIDs(task.page.text).count == 3)
            #expect(!task.page.text.contains("tiny-model-7") && !task.page.text.contains("written by"))
            #expect(try await ranker.complete(task).status == .seeOther)
        }
    }

    @Test("a set of model replies only may say so")
    func modelOnlySetNamesTheModel() async throws {
        try await WebTestApp.run { client, database in
            let author = try await Fixtures.user(database, name: "Prompt author")
            try await Fixtures.tree(database, state: "ranking", author: author, prompt: "How do I boil an egg?", replies: [
                .init(modelName: "tiny-model-7", accepted: true), .init(modelName: "tiny-model-7", accepted: true),
            ])
            let ranker = try await Contributor.signIn(client, name: "Ranker")
            let task = try #require(try await ranker.takeTask(kind: "rank_assistant_replies"))
            #expect(task.page.text.contains("written by tiny-model-7"))
        }
    }
}
