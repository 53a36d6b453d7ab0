#if !OASST_CPU_CASCADELAKE
/// The prompt kernel's arithmetic in plain Swift, for builds without AVX-512 VNNI. It is slower than
/// expanding the weights for sgemm, so the forward pass does not use it there (`available` is false);
/// it keeps the panel form testable on every machine.
extension WeightPanel {
    static let available = false

    static func unpackRow(_ type: GGMLType, _ src: UnsafeRawPointer, columns n: Int, into u: UnsafeMutablePointer<UInt8>,
                          scales: UnsafeMutablePointer<Float>, mins: UnsafeMutablePointer<Float>, stride: Int) {
        unpack(type, src, columns: n, into: u, scales: scales, mins: mins, stride: stride)
    }

    static func interleave(_ rows: UnsafePointer<UInt8>, columns: Int, into values: UnsafeMutablePointer<UInt8>) {
        interleaveWords(rows, columns: columns, quads: 0..<(columns / 4), into: values)
    }

    func multiply(_ act: PromptActivations, into out: UnsafeMutablePointer<Float>, outStride: Int, firstRow: Int) {
        precondition(act.columns == columns && act.layout == layout)
        let bs = layout.blockSize, blocks = self.blocks
        for t in 0..<act.rows {
            for i in 0..<filled {
                var total: Float = 0
                for b in 0..<blocks {
                    var sum = act.starts[t * blocks + b]
                    for k in (b * bs)..<((b + 1) * bs) {
                        sum += Int32(values[(k / 4) * 4 * WeightPanel.height + 4 * i + k % 4]) * Int32(act.values[t * columns + k])
                    }
                    let j = b * WeightPanel.height + i
                    total += Float(sum) * (scales[j] * act.scales[t * blocks + b])
                    if layout.hasMins { total -= mins[j] * act.sums[t * blocks + b] }
                }
                out[t * outStride + firstRow + i] = total
            }
        }
    }
}
#endif
