import Foundation
import Testing
@testable import Inference

/// The kernels that serve several decode rows at once must give each row exactly what the single-row
/// kernel gives it: a reply may not depend on which other replies share its decoding steps.
@Suite struct BatchedKernelTests {
    @Test(arguments: ["q8_0", "q5_0", "q4_0", "q4_k", "q6_k"])
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

    /// Random 32-value blocks (any bytes, fp16 scales between 2⁻⁸ and 2) in shapes the model files of the
    /// tests do not have: an odd number of blocks per row, rows past the last panel of sixteen, a range that
    /// starts inside a panel, and batches of four to eleven rows.
    @Test(arguments: [GGMLType.q8_0, .q5_0, .q4_0], [(96, 37), (160, 48)])
    func blocks32BatchesOfAnyShapeEqualTheirOwnDotProducts(_ type: GGMLType, _ shape: (columns: Int, rows: Int)) {
        let (n, rows) = shape
        let rowBytes = type.rowBytes(n)
        var generator = SeededGenerator(seed: UInt64(rowBytes))
        let weights = ModelFixtures.randomBlocks32(type, rows: rows, columns: n, using: &generator)
        for batch in [4, 5, 11] {
            let x = (0..<(batch * n)).map { _ in Float.random(in: -3...3, using: &generator) }
            var act = QuantizedActivations(capacity: batch * n)
            defer { act.deallocate() }
            x.withUnsafeBufferPointer { act.prepare($0.baseAddress!, rows: batch, columns: n, for: type) }
            for range in [0..<rows, 5..<rows] {
                var out = [Float](repeating: .nan, count: batch * rows)
                weights.withUnsafeBytes { w in
                    out.withUnsafeMutableBufferPointer {
                        QuantDot.blocks32Product(type, w.baseAddress!, rowBytes: rowBytes, act, rows: range, into: $0.baseAddress!, outStride: rows)
                    }
                }
                for b in 0..<batch {
                    for r in range {
                        let alone = weights.withUnsafeBytes { QuantDot.blocks32Dot(type, $0.baseAddress! + r * rowBytes, act, row: b) }
                        #expect(out[b * rows + r].bitPattern == alone.bitPattern, "\(type) batch \(batch), rows \(range): row \(r), activation row \(b)")
                    }
                }
            }
        }
    }
}

/// The Q8_K quantizer's choice of scale: the first value of largest magnitude, as ggml picks it.
@Suite struct LargestMagnitudeTests {
    func pick(_ values: [Float]) -> (magnitude: Float, value: Float) {
        values.withUnsafeBufferPointer { QuantizedActivations.largestMagnitude($0.baseAddress!) }
    }

    @Test func theFirstValueOfLargestMagnitudeWinsAsInAPlainLoop() {
        var generator = SeededGenerator(seed: 5)
        var values = (0..<256).map { _ in Float.random(in: -4...4, using: &generator) }
        #expect(pick(values).magnitude == values.map(abs).max())
        values[200] = 9; values[37] = -9; values[38] = 9
        #expect(pick(values) == (9, -9))
        #expect(pick([Float](repeating: 0, count: 256)) == (0, 0))
    }

    @Test func NaNNeverCountsAndInfinityDoes() {
        var values = [Float](repeating: 1, count: 256)
        values[3] = 2; values[20] = .nan; values[100] = 3
        #expect(pick(values) == (3, 3))
        values[150] = -.infinity
        #expect(pick(values) == (.infinity, -.infinity))
    }
}
