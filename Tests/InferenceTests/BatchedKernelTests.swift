import Foundation
import Testing
@testable import Inference

/// The kernels that serve several decode rows at once must give each row exactly what the single-row
/// kernel gives it: a reply may not depend on which other replies share its decoding steps.
@Suite struct BatchedKernelTests {
    @Test(arguments: ["q8_0", "q5_0", "q4_k", "q6_k"])
    func everyRowOfABatchEqualsItsOwnDotProduct(_ type: String) throws {
        let path = ModelFixtures.fixtures.appendingPathComponent("tiny/tiny-llama-\(type).gguf").path
        let file = try GGUFFile(path: path)
        let info = try file.tensor("blk.0.ffn_down.weight")
        let w = try WeightMatrix(file: file, name: "blk.0.ffn_down.weight", columns: info.dims[0])
        // Eleven rows: a tile of eight and a tile of three (a short tile repeats its last row in spare lanes).
        let batch = 11
        var generator = SeededGenerator(seed: 7)
        let x = (0..<(batch * w.columns)).map { _ in Float.random(in: -3...3, using: &generator) }
        var act = QuantizedActivations(capacity: batch * w.columns)
        defer { act.deallocate() }
        x.withUnsafeBufferPointer { act.prepare($0.baseAddress!, rows: batch, columns: w.columns, for: w.type) }
        var out = [Float](repeating: .nan, count: batch * w.rows)
        out.withUnsafeMutableBufferPointer { w.multiply(act, rows: 0..<w.rows, into: $0.baseAddress!, outStride: w.rows) }
        for b in 0..<batch {
            for r in 0..<w.rows {
                #expect(out[b * w.rows + r].bitPattern == w.dot(row: r, act, b).bitPattern, "row \(r), activation row \(b)")
            }
        }
    }
}
