import Foundation
import Testing
@testable import Inference

/// The prompt kernel's panels: unpacked weights must stand for exactly the values `Dequantize` gives, and
/// a panel product must be the dot product of those weights with the quantized activations.
@Suite struct WeightPanelTests {
    static let types = ["q8_0", "q5_0", "q4_0", "q4_k", "q5_k", "q6_k"]

    func matrix(_ type: String) throws -> (GGUFFile, WeightMatrix) {
        let path = ModelFixtures.fixtures.appendingPathComponent("tiny/tiny-llama-\(type).gguf").path
        let file = try GGUFFile(path: path)
        let info = try file.tensor("blk.0.ffn_down.weight")
        return (file, try WeightMatrix(file: file, name: "blk.0.ffn_down.weight", columns: info.dims[0]))
    }

    @Test(arguments: types)
    func unpackedRowsStandForTheDequantizedWeights(_ type: String) throws {
        let (file, w) = try matrix(type)
        defer { withExtendedLifetime(file) {} }  // the weights live in its mapping
        let layout = try #require(WeightPanel.layout(of: w.type))
        let n = w.columns, blocks = n / layout.blockSize
        var bytes = [UInt8](repeating: 0, count: n)
        var scales = [Float](repeating: 0, count: blocks), mins = [Float](repeating: 0, count: blocks)
        var expected = [Float](repeating: 0, count: n)
        for r in 0..<w.rows {
            Dequantize.row(w.type, w.data + r * w.rowBytes, &expected, count: n)
            WeightPanel.unpackRow(w.type, w.data + r * w.rowBytes, columns: n, into: &bytes, scales: &scales, mins: &mins, stride: 1)
            for k in 0..<n {
                let b = k / layout.blockSize
                let value = scales[b] * Float(Int32(bytes[k]) - layout.offset) - (layout.hasMins ? mins[b] : 0)
                #expect(abs(value - expected[k]) <= 1e-6 * max(1, abs(expected[k])), "row \(r) column \(k)")
            }
        }
    }

    @Test(arguments: types)
    func panelProductsAreTheDotProductsOfTheQuantizedValues(_ type: String) throws {
        let (file, w) = try matrix(type)
        defer { withExtendedLifetime(file) {} }  // the weights live in its mapping
        let layout = try #require(WeightPanel.layout(of: w.type))
        // Eleven tokens: a tile of eight and a short one; a panel of five rows: padding rows are not stored.
        let tokens = 11, rows = 0..<min(5, w.rows), n = w.columns
        var generator = SeededGenerator(seed: 11)
        let x = (0..<(tokens * n)).map { _ in Float.random(in: -3...3, using: &generator) }
        var act = PromptActivations(capacity: tokens * n)
        defer { act.deallocate() }
        act.reset(rows: tokens, columns: n, layout: layout)
        x.withUnsafeBufferPointer { act.quantize($0.baseAddress!, rows: 0..<tokens) }
        var panel = WeightPanel(maxColumns: n)
        defer { panel.deallocate() }
        panel.load(w, rows: rows)
        let stride = rows.count + 3
        var out = [Float](repeating: .nan, count: tokens * stride)
        out.withUnsafeMutableBufferPointer { panel.multiply(act, into: $0.baseAddress!, outStride: stride, firstRow: 1) }
        var weights = [Float](repeating: 0, count: n)
        for r in rows {
            Dequantize.row(w.type, w.data + r * w.rowBytes, &weights, count: n)
            for t in 0..<tokens {
                var exact: Double = 0, float: Double = 0
                for k in 0..<n {
                    let a = Double(act.values[t * n + k]) * Double(act.scales[t * act.blocksPerRow + k / layout.blockSize])
                    exact += Double(weights[k]) * a
                    float += Double(weights[k]) * Double(x[t * n + k])
                }
                let got = Double(out[t * stride + 1 + r])
                let magnitude = (0..<n).reduce(0.0) { $0 + abs(Double(weights[$1]) * Double(x[t * n + $1])) }
                #expect(abs(got - exact) <= 1e-5 * magnitude, "row \(r), token \(t): \(got) against \(exact)")
                // 8-bit activations keep the product within a percent of the float one
                #expect(abs(got - float) <= 0.01 * magnitude, "row \(r), token \(t): \(got) against \(float) in floats")
            }
        }
        for t in 0..<tokens {
            #expect(out[t * stride].isNaN && out[t * stride + 1 + rows.count].isNaN, "token \(t): a row outside the panel was written")
        }
    }

    /// The interleaving of sixteen unpacked rows, in registers where the build has them, against word moves.
    @Test(arguments: [32, 64, 96, 640, 2048])
    func interleavingMatchesWordMoves(_ columns: Int) {
        var generator = SeededGenerator(seed: UInt64(columns))
        let rows = (0..<(WeightPanel.height * columns)).map { _ in UInt8.random(in: 0...255, using: &generator) }
        var fast = [UInt8](repeating: 0, count: rows.count), plain = fast
        WeightPanel.interleave(rows, columns: columns, into: &fast)
        WeightPanel.interleaveWords(rows, columns: columns, quads: 0..<(columns / 4), into: &plain)
        #expect(fast == plain)
        // spot check of the layout itself: column c of row i sits at [c / 4][i][c % 4]
        #expect(plain[(37 % columns / 4) * 64 + 4 * 5 + 37 % columns % 4] == rows[5 * columns + 37 % columns])
    }
}
