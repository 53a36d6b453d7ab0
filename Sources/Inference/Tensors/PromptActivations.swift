/// The tokens of a prompt chunk quantized for the integer prompt kernel: signed bytes, scaled as
/// llama.cpp scales the activations of the weight's type (`WeightPanel.Layout.activationBlock`: Q8_0 per
/// 32 values with an fp16 scale, Q8_K per 256 with a float one), and per block of the weight's layout the
/// numbers that turn the kernel's integer sums into floats:
/// - `scales`: the activation scale of the block,
/// - `starts`: −offset × Σa, the start of the block's integer sum, which removes the weight offset,
/// - `sums`: scale × Σa, which the K-quant mins multiply.
struct PromptActivations {
    let capacity: Int
    let values: UnsafeMutablePointer<Int8>
    let scales: UnsafeMutablePointer<Float>
    let starts: UnsafeMutablePointer<Int32>
    let sums: UnsafeMutablePointer<Float>
    private(set) var rows = 0
    private(set) var columns = 0
    private(set) var layout = WeightPanel.Layout(blockSize: 32, offset: 0, hasMins: false, activationBlock: 32)

    init(capacity: Int) {
        self.capacity = capacity
        values = .allocate(capacity: capacity)
        scales = .allocate(capacity: capacity / 16 + 1)
        starts = .allocate(capacity: capacity / 16 + 1)
        sums = .allocate(capacity: capacity / 16 + 1)
    }

    func deallocate() {
        values.deallocate(); scales.deallocate(); starts.deallocate(); sums.deallocate()
    }

    var blocksPerRow: Int { columns / layout.blockSize }

    /// Sets the shape; then `quantize(rows:)` fills disjoint row ranges, possibly on several threads.
    mutating func reset(rows: Int, columns: Int, layout: WeightPanel.Layout) {
        precondition(rows * columns <= capacity && columns % layout.activationBlock == 0, "activation scratch too small")
        self.rows = rows
        self.columns = columns
        self.layout = layout
    }

    /// Quantizes rows `range` of `x` (row stride `columns`).
    func quantize(_ x: UnsafePointer<Float>, rows range: Range<Int>) {
        let n = columns, group = layout.activationBlock, bs = layout.blockSize, blocks = n / bs
        for r in range {
            for g in 0..<(n / group) {
                let src = UnsafeRawPointer(x + r * n + g * group)
                let (low, high) = ByteQuantizer.extremes(src, count: group)
                let multiplier: Float, scale: Float
                if group == 32 {
                    // Q8_0: d = amax / 127 stored as fp16, values round(x × 127 / amax)
                    let amax = max(high, -low)
                    multiplier = amax == 0 ? 0 : 127 / amax
                    scale = roundToHalf(amax / 127)
                } else {
                    // Q8_K: the value of largest magnitude (the first, on a tie of signs) maps to −127
                    let extreme = high > -low ? high : -low > high ? low : Self.first(ofMagnitude: high, in: src, count: group)
                    multiplier = extreme == 0 ? 0 : -127 / extreme
                    scale = extreme == 0 ? 0 : 1 / multiplier
                }
                var sum: Int32 = 0
                for c in 0..<(group / 16) {
                    sum &+= ByteQuantizer.quantize16(src + 64 * c, times: multiplier,
                                            into: UnsafeMutableRawPointer(values + r * n + g * group + 16 * c))
                    if (16 * (c + 1)) % bs == 0 {
                        let i = r * blocks + (g * group + 16 * c) / bs
                        scales[i] = scale
                        starts[i] = -layout.offset &* sum
                        sums[i] = scale * Float(sum)
                        sum = 0
                    }
                }
            }
        }
    }

    /// The first of `count` floats whose magnitude is `magnitude`.
    private static func first(ofMagnitude magnitude: Float, in src: UnsafeRawPointer, count: Int) -> Float {
        let x = src.assumingMemoryBound(to: Float.self)
        for i in 0..<count where abs(x[i]) == magnitude { return x[i] }
        return magnitude
    }
}
