import Feedback
import Foundation
import Inference
import Logging
import Storage
import TestSupport
import Testing
import Web

/// The background job with the real default model on small trees.
@Suite("Model-written replies", .serialized)
struct SyntheticReplyWriterTests {
    typealias Fixtures = SyntheticReplyFixtures

    /// One engine for the suite: loading the model is the slow part.
    static let engine: Result<InferenceEngine, Error> = Result {
        var path = ProcessInfo.processInfo.environment["OASST_MODEL"] ?? ""
        if path.isEmpty { path = TestServer.projectRoot.appendingPathComponent(".data/models/gemma-3-270m-q4_k_m.gguf").path }
        return try InferenceEngine.load(path: path, configuration: .init(maxConcurrent: 4))
    }

    static let short = SamplingParameters(maxNewTokens: 48, temperature: 0.8, topK: 40)

    func writer(_ database: Database, _ policy: SyntheticReplyPolicy, parameters: SamplingParameters = short) throws -> SyntheticReplyWriter {
        var logger = Logger(label: "oasst.test")
        logger.logLevel = .warning
        return SyntheticReplyWriter(database: database, generator: try Self.engine.get(), policy: policy, parameters: parameters, logger: logger)
    }

    @Test("the model replies to each prompt as often as configured, as unreviewed synthetic replies")
    func repliesAppearUnderTheRules() async throws {
        let engine = try Self.engine.get()
        try await TestServer.withDatabase { database in
            let author = try await Fixtures.user(database, name: "Prompt author")
            let first = try await Fixtures.tree(database, author: author, prompt: "What is the capital of France?")
            let second = try await Fixtures.tree(database, author: author, prompt: "Give me three tips for sleeping better.",
                                                 replies: [.init(modelName: nil, accepted: true), .init(modelName: nil, accepted: true)])
            let policy = SyntheticReplyPolicy(repliesPerPrompt: 2, maxRepliesPerHour: 100, maxConcurrentGenerations: 2)
            let written = try await writer(database, policy).writeAvailable()
            // Two under the lone prompt; one under the prompt that already has two human replies (one slot stays free).
            #expect(written.count == 3)
            let rows = try await database.withConnection { connection in
                var rows: [(UUID, String, String?, Int, Bool?, String, UUID?)] = []
                for try await row in try await connection.query("""
                    SELECT parent_id, role, model_name, depth, review_result, text, author_id FROM messages WHERE synthetic
                    """, logger: database.logger).decode((UUID?, String, String?, Int, Bool?, String, UUID?).self) {
                    rows.append((row.0!, row.1, row.2, row.3, row.4, row.5, row.6))
                }
                return rows
            }
            #expect(rows.count == 3)
            #expect(rows.filter { $0.0 == first }.count == 2 && rows.filter { $0.0 == second }.count == 1)
            for row in rows {
                #expect(row.1 == "assistant" && row.3 == 1)
                #expect(row.2 == engine.modelName, "the model's name is stored with its reply")
                #expect(row.4 == nil, "a model reply is reviewed like any other")
                #expect(!row.5.isEmpty && row.5 == row.5.trimmingCharacters(in: .whitespacesAndNewlines))
                #expect(row.6 == TaskDesk.modelAuthorID)
            }
            #expect(try await Fixtures.scalar(database, "SELECT children_count FROM messages WHERE id = \(second)") == 3)
            #expect(try await Fixtures.scalar(database, "SELECT count(*)::int FROM message_trees WHERE state = 'growing'") == 2)
            #expect(try await Fixtures.scalar(database, "SELECT count(*)::int FROM journal WHERE action = 'model_reply'") == 3)
            // Nothing more is wanted, and people can still reply to the lone prompt and review the model's replies.
            #expect(try await writer(database, policy).writeAvailable().isEmpty)
            let desk = TaskDesk(database: database)
            let person = try await Fixtures.user(database, name: "Reviewer")
            let review = try await desk.nextTask(for: person, kind: .labelAssistantReply)
            if case .label(_, let messageID, _, _) = review.choice { #expect(written.contains(messageID)) } else { Issue.record("no review task") }
            let reply = try await desk.nextTask(for: person, kind: .assistantReply)
            if case .reply(_, let parentID, _) = reply.choice { #expect(parentID == first) } else { Issue.record("no reply task") }
        }
    }

    @Test("the hourly budget caps what the job writes")
    func budgetIsHonoured() async throws {
        _ = try Self.engine.get()
        try await TestServer.withDatabase { database in
            let author = try await Fixtures.user(database, name: "Prompt author")
            for n in 1...3 { try await Fixtures.tree(database, author: author, prompt: "Prompt number \(n): name a colour.") }
            let policy = SyntheticReplyPolicy(repliesPerPrompt: 2, maxRepliesPerHour: 3, maxConcurrentGenerations: 2)
            let job = try writer(database, policy)
            #expect(try await job.startable().count == 2, "no more than the concurrency cap at once")
            #expect(try await job.startable(excluding: [UUID()]).count == 1, "a running generation takes a slot")
            #expect(try await job.writeAvailable().count == 3)
            #expect(try await Fixtures.scalar(database, "SELECT count(*)::int FROM messages WHERE synthetic") == 3)
            #expect(try await job.startable().isEmpty, "the hour's budget is spent")
        }
    }

    @Test("generation holds no lock: a person replies to the same prompt meanwhile")
    func generationNeverBlocksContributors() async throws {
        _ = try Self.engine.get()
        try await TestServer.withDatabase { database in
            let author = try await Fixtures.user(database, name: "Prompt author")
            let root = try await Fixtures.tree(database, author: author, prompt: "Tell me a long story about a lighthouse keeper.")
            let policy = SyntheticReplyPolicy(repliesPerPrompt: 1, maxRepliesPerHour: 10, maxConcurrentGenerations: 1)
            // Long enough that the person's whole reply fits inside the generation.
            let job = try writer(database, policy, parameters: SamplingParameters(maxNewTokens: 160, temperature: 0.8, topK: 40, ignoresEndOfGeneration: true))
            let target = try #require(try await job.startable().first)
            let generation = Task { try await job.write(target) }
            let desk = TaskDesk(database: database)
            let person = try await Fixtures.user(database, name: "Writer")
            let started = ContinuousClock.now
            let task = try await desk.nextTask(for: person, kind: .assistantReply)
            try await desk.submit(taskID: task.id, userID: person) { _ in .text("Once upon a time there was a lighthouse.") }
            let personTook = ContinuousClock.now - started
            let modelReply = try await generation.value
            let generationTook = ContinuousClock.now - started
            #expect(personTook < generationTook, "the person finished (\(personTook)) while the model was still writing (\(generationTook))")
            #expect(modelReply != nil, "the re-check still allows the model reply beside one human reply")
            #expect(try await Fixtures.scalar(database, "SELECT children_count FROM messages WHERE id = \(root)") == 2)
        }
    }

    @Test("a reply whose tree moved on while it was generated is dropped")
    func recheckRefusesChangedTrees() async throws {
        try await TestServer.withDatabase { database in try await Fixtures.explained {
            let author = try await Fixtures.user(database, name: "Prompt author")
            let root = try await Fixtures.tree(database, author: author, prompt: "Why is the sky blue?")
            let desk = TaskDesk(database: database)
            let policy = SyntheticReplyPolicy(repliesPerPrompt: 1, maxRepliesPerHour: 10, maxConcurrentGenerations: 1)
            let target = try #require(try await desk.modelReplyTargets(policy, limit: 5).first)
            #expect(target.parentID == root)
            try await database.withConnection { connection in
                try await connection.query("UPDATE message_trees SET state = 'halted_by_moderator', active = false WHERE id = \(root)", logger: database.logger)
            }
            #expect(try await desk.submitModelReply(to: target, text: "Rayleigh scattering.", modelName: "test-model", policy) == nil)
            #expect(try await Fixtures.scalar(database, "SELECT count(*)::int FROM messages WHERE synthetic") == 0)
        } }
    }
}
