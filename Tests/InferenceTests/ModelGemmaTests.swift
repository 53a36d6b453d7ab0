import Testing
@testable import Inference

/// Known-good outputs of llama.cpp on the default model (Gemma 3 270M Q4_K_M).
@Suite struct ModelGemmaTests {
    /// llama.cpp quantises activations to 8 bits and uses an fp16 GELU table, so two faithful
    /// implementations may pick different tokens where the best two logits almost tie. The run must
    /// equal llama.cpp's token for token, except that it may part ways at such a near-tie (and the
    /// texts differ from there on). The first steps, which have clear winners, must always agree.
    static let nearTie: Float = 0.15

    @Test func greedyContinuationMatchesLlamaCpp() throws {
        let model = try ModelFixtures.defaultModel()
        #expect(model.architecture == "gemma3")
        let prompt = model.tokenizer.encode("The capital of France is", addBOS: true, parseSpecial: false)
        #expect(prompt == [2, 818, 5279, 529, 7001, 563])
        let expected: [Int32] = [506, 5279, 529, 506, 2891, 529, 7001, 236761, 1030, 563, 506, 7488, 3207, 528, 7001, 236761,
                                 1030, 563, 506, 5279, 529, 506, 2891, 529, 7001, 236761, 1030, 563, 506, 7488, 3207, 528]
        let seq = try model.makeSequence(capacity: 128)
        var logits = try model.evaluate(sequence: seq, tokens: prompt)
        var agreed = 0
        for step in expected.indices {
            let best = Int32(logits.indices.max { logits[$0] < logits[$1] }!)
            if best != expected[step] {
                let gap = logits[Int(best)] - logits[Int(expected[step])]
                #expect(gap < Self.nearTie, "step \(step): chose \(best) over llama.cpp's \(expected[step]) by \(gap), not a near-tie")
                break
            }
            agreed += 1
            logits = try model.evaluate(sequence: seq, tokens: [best])
        }
        #expect(agreed >= 5, "the first steps have clear winners and must agree (agreed on \(agreed))")
    }
}
