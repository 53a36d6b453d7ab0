import Foundation
import Testing
@testable import Inference

/// The output matrix packed into panels must give every row exactly what the mapped Q8_0 row gives it,
/// alone or in a batch of any size: a reply may not depend on whether it was generated beside others.
@Suite(.enabled(if: PanelMatrix.available, "packed panels need AVX-512 VNNI"))
struct PanelMatrixTests {
    func expectSameBits(_ packed: PanelMatrix, _ w: WeightMatrix, batches: [Int], seed: UInt64) {
        var generator = SeededGenerator(seed: seed)
        let n = w.columns
        for batch in batches {
            let x = (0..<(batch * n)).map { _ in Float.random(in: -3...3, using: &generator) }
            var act = QuantizedActivations(capacity: batch * n)
            defer { act.deallocate() }
            x.withUnsafeBufferPointer { act.prepare($0.baseAddress!, rows: batch, columns: n, for: .q8_0) }
            // Ranges start at a panel; they end at one or at the last row.
            let ranges = [0..<w.rows, 0..<min(16, w.rows)] + (w.rows > 16 ? [16..<w.rows] : []) + (w.rows > 32 ? [32..<min(w.rows, 48)] : [])
            for range in ranges {
                var out = [Float](repeating: .nan, count: batch * w.rows)
                out.withUnsafeMutableBufferPointer { packed.multiply(act, rows: range, into: $0.baseAddress!, outStride: w.rows) }
                for b in 0..<batch {
                    for r in 0..<w.rows {
                        let value = out[b * w.rows + r]
                        if range.contains(r) {
                            #expect(value.bitPattern == w.dot(row: r, act, b).bitPattern, "batch \(batch), rows \(range): row \(r), activation row \(b)")
                        } else {
                            #expect(value.isNaN, "row \(r) is outside \(range) and was written")
                        }
                    }
                }
            }
        }
    }

    /// The tiny models' output matrices (290 rows: a last panel of two), packed from their files, whose
    /// pages are released on the way and read back by the mapped rows' kernel.
    @Test(arguments: ["llama", "gemma3", "qwen2"])
    func packedOutputMatrixGivesTheMappedRowsBits(_ architecture: String) throws {
        let path = ModelFixtures.fixtures.appendingPathComponent("tiny/tiny-\(architecture)-q8_0.gguf").path
        let file = try GGUFFile(path: path)
        let name = file.tensors["output.weight"] != nil ? "output.weight" : "token_embd.weight"
        let w = try WeightMatrix(file: file, name: name, columns: try file.tensor(name).dims[0])
        let packed = try #require(PanelMatrix(packing: w, mappedFrom: file.map))
        #expect(packed.panels == (w.rows + 15) / 16)
        expectSameBits(packed, w, batches: [1, 2, 3, 4, 5, 7, 8, 9, 17], seed: 11)
        // A tied embedding's rows come from the panels.
        var fromPanels = [Float](repeating: .nan, count: w.columns), fromFile = fromPanels
        for r in 0..<w.rows {
            packed.dequantize(row: r, into: &fromPanels)
            Dequantize.row(w.type, w.data + r * w.rowBytes, &fromFile, count: w.columns)
            #expect(fromPanels.map(\.bitPattern) == fromFile.map(\.bitPattern), "row \(r)")
        }
        withExtendedLifetime(file) {}
    }

    /// Random blocks in shapes the model files do not have: an odd number of blocks per row and rows past
    /// the last whole panel.
    @Test(arguments: [(96, 37), (160, 48), (32, 5)])
    func packedRandomBlocksGiveTheRowsBits(_ shape: (columns: Int, rows: Int)) {
        let (n, rows) = shape
        let rowBytes = GGMLType.q8_0.rowBytes(n)
        var generator = SeededGenerator(seed: UInt64(rowBytes))
        let weights = ModelFixtures.randomBlocks32(.q8_0, rows: rows, columns: n, using: &generator)
        weights.withUnsafeBytes { bytes in
            let w = WeightMatrix(name: "random", data: bytes.baseAddress!, type: .q8_0, rows: rows, columns: n)
            expectSameBits(PanelMatrix(q8_0: w), w, batches: [1, 3, 8, 11], seed: 5)
        }
    }
}
