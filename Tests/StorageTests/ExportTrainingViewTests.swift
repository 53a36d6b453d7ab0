import Foundation
import Storage
import TestSupport
import Testing

/// SFT threads and ranked pairs on a small tree whose every branch tests one selection rule.
@Suite("Export training views")
struct ExportTrainingViewTests {
    /// Q1 ─┬ A1 (rank 0) ─┬ Q2 ─┬ A3 (rank 0)
    ///     │              │     └ A4 (rank 1)
    ///     │              └ Q3 (prompter leaf, not the first reply: dropped)
    ///     ├ A2 (rank 1) ── Q4 (prompter leaf, first reply: thread Q1 A2 kept without it)
    ///     ├ A5 (rank 2, rejected by review: not exported)
    ///     └ A6 (deleted)
    /// plus a synthetic tree with two ranked replies and a growing tree, both left out by default.
    static let fixture: String = {
        var minute = 0
        func node(_ id: Int, _ role: String, _ text: String, rank: Int? = nil, accepted: Bool = true, deleted: Bool = false,
                  synthetic: Bool = false, replies: [[String: Any]] = []) -> [String: Any] {
            minute += 1
            var object: [String: Any] = [
                "message_id": String(format: "00000000-0000-4000-8000-%012d", id), "text": text, "role": role, "lang": "en",
                "review_count": 3, "review_result": accepted, "deleted": deleted, "synthetic": synthetic,
                "created_date": String(format: "2023-02-05T10:%02d:00+00:00", minute), "replies": replies,
            ]
            if let rank { object["rank"] = rank }
            return object
        }
        let main = node(1, "prompter", "Q1", replies: [
            node(2, "assistant", "A1", rank: 0, replies: [
                node(4, "prompter", "Q2", replies: [node(6, "assistant", "A3", rank: 0), node(7, "assistant", "A4", rank: 1)]),
                node(5, "prompter", "Q3"),
            ]),
            node(3, "assistant", "A2", rank: 1, replies: [node(8, "prompter", "Q4")]),
            node(9, "assistant", "A5", rank: 2, accepted: false),
            node(10, "assistant", "A6", deleted: true),
        ])
        let synthetic = node(20, "prompter", "S1", replies: [
            node(21, "assistant", "S-A1", rank: 0, synthetic: true), node(22, "assistant", "S-A2", rank: 1),
        ])
        let growing = node(30, "prompter", "G1", replies: [node(31, "assistant", "G-A1", rank: 0), node(32, "assistant", "G-A2", rank: 1)])
        let lines: [[String: Any]] = [
            ["message_tree_id": main["message_id"]!, "tree_state": "ready_for_export", "prompt": main],
            ["message_tree_id": synthetic["message_id"]!, "tree_state": "ready_for_export", "prompt": synthetic],
            ["message_tree_id": growing["message_id"]!, "tree_state": "growing", "prompt": growing],
        ]
        return lines.map { String(decoding: try! JSONSerialization.data(withJSONObject: $0), as: UTF8.self) }.joined(separator: "\n")
    }()

    func export(_ format: ExportOptions.Format, topK: Int? = nil, synthetic: Bool = false) async throws -> [[String: Any]] {
        let lines: [String] = try await TestServer.withDatabase { database in
            let summary = try await TreeImporter(database: database).importFile(at: try temporaryFile(Self.fixture))
            #expect(summary.treesImported == 3)
            var options = ExportOptions()
            options.format = format
            options.topK = topK
            options.includeSynthetic = synthetic
            let lines = CollectedLines()
            _ = try await TreeExporter(database: database).export(options, to: lines)
            return lines.lines
        }
        return lines.map { try! JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
    }

    @Test("SFT: one line per root-to-assistant thread, in the dialogue format and as messages")
    func sft() async throws {
        let lines = try await export(.sft)
        let texts = lines.compactMap { $0["text"] as? String }
        #expect(texts == [
            "<|prompter|>Q1<|endoftext|><|assistant|>A1<|endoftext|><|prompter|>Q2<|endoftext|><|assistant|>A3<|endoftext|>",
            "<|prompter|>Q1<|endoftext|><|assistant|>A1<|endoftext|><|prompter|>Q2<|endoftext|><|assistant|>A4<|endoftext|>",
            "<|prompter|>Q1<|endoftext|><|assistant|>A2<|endoftext|>",
        ])
        let messages = try #require(lines.last?["messages"] as? [[String: String]])
        #expect(messages == [["role": "user", "content": "Q1"], ["role": "assistant", "content": "A2"]])
    }

    @Test("SFT with top-k 1 keeps only the best-ranked path")
    func sftTopK() async throws {
        let texts = try await export(.sft, topK: 1).compactMap { $0["text"] as? String }
        #expect(texts == ["<|prompter|>Q1<|endoftext|><|assistant|>A1<|endoftext|><|prompter|>Q2<|endoftext|><|assistant|>A3<|endoftext|>"])
    }

    @Test("pairs: better and worse reply under every prompt with two ranked, accepted replies")
    func pairs() async throws {
        let lines = try await export(.pairs)
        #expect(lines.count == 2)
        #expect(lines.first?["prompt"] as? String == "<|prompter|>Q1<|endoftext|><|assistant|>")
        #expect(lines.first?["chosen"] as? String == "A1" && lines.first?["rejected"] as? String == "A2")
        #expect(lines.last?["prompt"] as? String
                == "<|prompter|>Q1<|endoftext|><|assistant|>A1<|endoftext|><|prompter|>Q2<|endoftext|><|assistant|>")
        #expect(lines.last?["chosen"] as? String == "A3" && lines.last?["rejected"] as? String == "A4")
    }

    @Test("synthetic trees join only when asked")
    func synthetic() async throws {
        let lines = try await export(.pairs, synthetic: true)
        #expect(lines.count == 3)
        #expect(lines.contains { $0["chosen"] as? String == "S-A1" && $0["rejected"] as? String == "S-A2" })
    }

    @Test("tree export sorts replies by rank and leaves out rejected and deleted messages")
    func treeLayout() async throws {
        let lines = try await export(.trees)
        #expect(lines.count == 1)
        let prompt = try #require(lines.first?["prompt"] as? [String: Any])
        #expect(prompt["parent_id"] == nil && prompt["rank"] == nil)
        let replies = try #require(prompt["replies"] as? [[String: Any]])
        #expect(replies.compactMap { $0["text"] as? String } == ["A1", "A2"])
    }
}
