import Foundation
import Testing
@testable import Inference

/// The default model (Gemma 3 270M Q4_K_M) against llama.cpp: token ids of a varied corpus and greedy
/// continuations (Fixtures/gemma3-*.json, from scripts/reference/default_model_reference.py).
@Suite struct ParityDefaultModelTests {
    @Test func tokenIdsMatchLlamaCpp() throws {
        let tok = try ModelFixtures.defaultModel().tokenizer
        let root = try ModelFixtures.json("gemma3-tokenizer.json") as! [String: Any]
        for entry in root["plain"] as! [[String: Any]] {
            let text = entry["text"] as! String
            let ids = (entry["ids"] as! [Int]).map(Int32.init)
            #expect(tok.encode(text, addBOS: true, parseSpecial: false) == ids, "text: \(text.debugDescription)")
        }
        for entry in root["special"] as! [[String: Any]] {
            let text = entry["text"] as! String
            let ids = (entry["ids"] as! [Int]).map(Int32.init)
            #expect(tok.encode(text, addBOS: false, parseSpecial: true) == ids, "special text: \(text.debugDescription)")
        }
    }

    /// How close llama.cpp's own logits of its token and ours must be where a continuation parts from its
    /// run. 8-bit activations are rounded at other points than llama.cpp's, and a last-bit difference in a
    /// float sum (OpenBLAS's kernels differ per `OPENBLAS_CORETYPE`) can flip such a rounding; across the
    /// layers that moves logits by a few tenths. The widest parting seen: 0.17 in our logits, 0.25 in
    /// llama.cpp's, with the SkylakeX kernels.
    static let referenceNearTie: Float = 0.3

    /// Every continuation equals llama.cpp's token for token, or parts from it only at a near-tie — in our
    /// logits (`ModelGemmaTests.nearTie`) or in llama.cpp's own (`referenceNearTie`; the fixture keeps its
    /// five best tokens per step) — and at least one is identical for all its tokens.
    @Test func greedyContinuationsMatchLlamaCpp() throws {
        let model = try ModelFixtures.defaultModel()
        let runs = try ModelFixtures.json("gemma3-greedy.json") as! [[String: Any]]
        var matched = 0
        for run in runs {
            let prompt = (run["prompt_ids"] as! [Int]).map(Int32.init)
            let expected = (run["greedy"] as! [Int]).map(Int32.init)
            let referenceTop = (run["steps_top5"] as! [[[Double]]]).map { step in
                Dictionary(uniqueKeysWithValues: step.map { (Int32($0[0]), Float($0[1])) })
            }
            let text = (run["prompt"] as! String).prefix(40)
            #expect(model.tokenizer.encode(run["prompt"] as! String, addBOS: true, parseSpecial: false) == prompt)
            let seq = try model.makeSequence(capacity: prompt.count + expected.count + 1)
            var logits = try model.evaluate(sequence: seq, tokens: prompt)
            var agreed = 0
            for step in expected.indices {
                let best = Int32(logits.indices.max { logits[$0] < logits[$1] }!)
                if best != expected[step] {
                    let gap = logits[Int(best)] - logits[Int(expected[step])]
                    let referenceGap = referenceTop[step][best].map { referenceTop[step][expected[step]]! - $0 } ?? .infinity
                    print("greedy continuation parts from llama.cpp at token \(step) by \(gap) (llama.cpp's own margin \(referenceGap)): \(text)…")
                    #expect(gap < ModelGemmaTests.nearTie || referenceGap < Self.referenceNearTie,
                            "\(text)… step \(step): chose \(best) over llama.cpp's \(expected[step]) by \(gap), llama.cpp by \(referenceGap)")
                    break
                }
                agreed += 1
                logits = try model.evaluate(sequence: seq, tokens: [best])
            }
            if agreed == expected.count { matched += 1 }
        }
        #expect(matched >= 1)
    }
}
