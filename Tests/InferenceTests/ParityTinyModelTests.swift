import Foundation
import Testing
@testable import Inference

/// Tiny random-weight models, one per architecture and tensor type (written by
/// scripts/reference/make_tiny_models.py), against the logits llama.cpp produced for them
/// (scripts/reference/reference_logits.py → Fixtures/tiny-logits.json).
@Suite struct ParityTinyModelTests {
    /// Largest allowed |ours − llama.cpp| per logit, as a fraction of the reference logits' spread
    /// (their standard deviation). Measured: F32 0.0000, F16 ≤ 0.003, BF16 ≤ 0.016, K-quant decode steps
    /// ≤ 0.004, Q4_0/Q5_0/Q8_0 ≤ 0.09, Q6_K ≤ 0.13 (8-bit activation rounding on llama.cpp's side).
    static let tolerance: Float = 0.15

    struct Case: CustomTestStringConvertible, Sendable {
        let model: String
        let steps: [(tokens: [Int32], logits: [Float])]
        var testDescription: String { model }
    }

    static func cases() throws -> [Case] {
        guard let root = try ModelFixtures.json("tiny-logits.json") as? [String: Any],
              let models = root["models"] as? [[String: Any]] else { return [] }
        return models.map { m in
            let steps = (m["steps"] as! [[String: Any]]).map { s in
                ((s["tokens"] as! [Int]).map(Int32.init), (s["logits"] as! [Double]).map(Float.init))
            }
            return Case(model: m["model"] as! String, steps: steps)
        }
    }

    @Test(arguments: try cases())
    func logitsMatchLlamaCpp(_ c: Case) throws {
        let path = ModelFixtures.fixtures.appendingPathComponent("tiny/\(c.model)").path
        let model = try LanguageModel.load(path: path, threads: 2)
        let seq = try model.makeSequence(capacity: 64)
        for (i, step) in c.steps.enumerated() {
            let ours = try model.evaluate(sequence: seq, tokens: step.tokens)
            let ref = step.logits
            #expect(ours.count == ref.count)
            let mean = ref.reduce(0, +) / Float(ref.count)
            let sd = (ref.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Float(ref.count)).squareRoot()
            let worst = zip(ours, ref).map { abs($0 - $1) }.max() ?? 0
            #expect(worst <= Self.tolerance * sd, "\(c.model) step \(i): max |Δ| \(worst), logit sd \(sd)")
            let argmax = { (v: [Float]) in v.indices.max { v[$0] < v[$1] }! }
            #expect(argmax(ours) == argmax(ref), "\(c.model) step \(i): different top token")
        }
    }
}
