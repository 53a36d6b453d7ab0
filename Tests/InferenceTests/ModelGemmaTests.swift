import Testing
@testable import Inference

/// Known-good outputs of llama.cpp on the default model (Gemma 3 270M Q4_K_M).
@Suite struct ModelGemmaTests {
    @Test func greedyContinuationMatchesLlamaCpp() throws {
        let model = try ModelFixtures.defaultModel()
        #expect(model.architecture == "gemma3")
        let prompt = model.tokenizer.encode("The capital of France is", addBOS: true, parseSpecial: false)
        #expect(prompt == [2, 818, 5279, 529, 7001, 563])
        let seq = try model.makeSequence(capacity: 128)
        var logits = try model.evaluate(sequence: seq, tokens: prompt)
        var out: [Int32] = []
        for _ in 0..<32 {
            let next = Int32(logits.indices.max { logits[$0] < logits[$1] }!)
            out.append(next)
            logits = try model.evaluate(sequence: seq, tokens: [next])
        }
        #expect(out == [506, 5279, 529, 506, 2891, 529, 7001, 236761, 1030, 563, 506, 7488, 3207, 528, 7001, 236761,
                        1030, 563, 506, 5279, 529, 506, 2891, 529, 7001, 236761, 1030, 563, 506, 7488, 3207, 528])
    }
}
