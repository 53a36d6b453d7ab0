#if OASST_CPU_CASCADELAKE
import _Builtin_intrinsics.intel
#endif

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
                let (low, high) = Self.extremes(src, count: group)
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
                    sum &+= Self.quantize16(src + 64 * c, times: multiplier,
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

    #if OASST_CPU_CASCADELAKE
    // (the generic SIMD conversions go lane by lane)

    /// The least and the greatest of `count` floats (a multiple of 16).
    @inline(__always) static func extremes(_ src: UnsafeRawPointer, count: Int) -> (Float, Float) {
        var low = src.loadUnaligned(as: __m512.self), high = low
        for c in 1..<(count / 16) {
            let v = src.loadUnaligned(fromByteOffset: 64 * c, as: __m512.self)
            low = _mm512_min_ps(low, v)
            high = _mm512_max_ps(high, v)
        }
        return (_mm512_reduce_min_ps(low), _mm512_reduce_max_ps(high))
    }

    /// Stores min(round(x × m), 127) for 16 floats as bytes (round to nearest, ties to even — the
    /// default rounding mode of vcvtps2dq) and returns their sum.
    @inline(__always)
    static func quantize16(_ src: UnsafeRawPointer, times m: Float, into dst: UnsafeMutableRawPointer) -> Int32 {
        let v = _mm512_mul_ps(src.loadUnaligned(as: __m512.self), _mm512_set1_ps(m))
        let q = _mm512_min_epi32(_mm512_cvtps_epi32(v), _mm512_set1_epi32(127))
        dst.storeBytes(of: _mm512_cvtsepi32_epi8(q), as: __m128i.self)
        return _mm512_reduce_add_epi32(q)
    }
    #else
    static func extremes(_ src: UnsafeRawPointer, count: Int) -> (Float, Float) {
        let x = src.assumingMemoryBound(to: Float.self)
        var low = x[0], high = x[0]
        for i in 1..<count { low = min(low, x[i]); high = max(high, x[i]) }
        return (low, high)
    }

    static func quantize16(_ src: UnsafeRawPointer, times m: Float, into dst: UnsafeMutableRawPointer) -> Int32 {
        let x = src.assumingMemoryBound(to: Float.self), out = dst.assumingMemoryBound(to: Int8.self)
        var sum: Int32 = 0
        for i in 0..<16 {
            let q = min(127, Int32((x[i] * m).rounded(.toNearestOrEven)))
            out[i] = Int8(truncatingIfNeeded: q)
            sum &+= q
        }
        return sum
    }
    #endif
}
