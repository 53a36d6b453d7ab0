#if OASST_CPU_CASCADELAKE || OASST_CPU_X86_64_V3
import _Builtin_intrinsics.intel
#endif

/// Activations (rows of floats) quantized to 8 bits the way llama.cpp prepares them for a quantized
/// matrix product: Q8_0 (one fp16 scale per 32 values) for Q4_0/Q5_0/Q8_0 weights, Q8_K (one float
/// scale per 256 values, plus sums of every 16) for the K-quants. The integer dot products of the kernels
/// then reproduce llama.cpp's arithmetic.
///
/// With AVX2 the values are stored as Int8 in their natural order, as llama.cpp's block_q8_0/block_q8_K.
/// The portable build stores them as Int16 in a permuted order so that its kernels never have to widen
/// or shuffle: they read packed weight bytes as 16-bit lanes and split even and odd bytes with shifts,
/// so within every group of `pairGroup` values the activations are stored evens first, then odds.
struct QuantizedActivations {
    #if OASST_CPU_CASCADELAKE
    typealias Value = Int8
    static let permuted = false
    #elseif OASST_CPU_X86_64_V3
    typealias Value = Int8
    static let permuted = false
    #else
    typealias Value = Int16
    static let permuted = true
    #endif

    enum Kind { case q8_0, q8_K, float }

    private(set) var kind: Kind = .float
    private(set) var rows = 0
    private(set) var columns = 0
    /// 32 for Q8_0 and the K-quants, 16 for Q4_0/Q5_0 (their nibbles come in 16-byte runs).
    private(set) var pairGroup = 32
    /// How float activations are rounded: as the weights of the product they feed (f16, bf16) or not at all.
    private(set) var rounding: GGMLType?
    let capacity: Int
    /// rows × columns values, permuted as described above in the portable build.
    let values: UnsafeMutablePointer<Value>
    /// Per row: one scale per block (Q8_0: 32 values, Q8_K: 256 values).
    let scales: UnsafeMutablePointer<Float>
    /// Q8_0 only: the scales again, block by block (`blockScaleStride` apart), so that the batched
    /// kernels read the scales of a block for several rows with one load. Rows past the last are 0.
    let blockScales: UnsafeMutablePointer<Float>
    /// Q8_0 only: per row, the sum of each block's values (the VNNI kernels remove their weight offsets
    /// with it), and the same block by block (`blockScaleStride` apart, 0 past the last row).
    let blockSums: UnsafeMutablePointer<Int32>
    let blockSumsByBlock: UnsafeMutablePointer<Int32>
    /// Q8_K only: per row, the sum of every 16 consecutive (unpermuted) values (at most 16 × 127).
    let sums: UnsafeMutablePointer<Int16>
    /// `.float` only: rows × columns floats, rounded to the weight's precision (f16/bf16) when needed.
    let floats: UnsafeMutablePointer<Float>

    var blockSize: Int { kind == .q8_K ? 256 : 32 }
    var blocksPerRow: Int { columns / blockSize }
    /// Distance between consecutive blocks in `blockScales`: the rows rounded up to a multiple of eight.
    var blockScaleStride: Int { (rows + 7) / 8 * 8 }

    /// Buffers for up to `capacity` values (rows × columns) of any kind.
    init(capacity: Int) {
        self.capacity = capacity
        values = .allocate(capacity: capacity)
        scales = .allocate(capacity: capacity / 16 + 1)
        // rows padded to a multiple of eight: (rows + 7) × columns / 32 ≤ capacity / 4 scales
        blockScales = .allocate(capacity: capacity / 4 + 8)
        blockSums = .allocate(capacity: capacity / 16 + 1)
        blockSumsByBlock = .allocate(capacity: capacity / 4 + 8)
        sums = .allocate(capacity: capacity / 16 + 1)
        floats = .allocate(capacity: capacity)
    }

    /// Quantizes `rows` rows of `x` (row stride `columns`) into the form `weightType` kernels read.
    mutating func prepare(_ x: UnsafePointer<Float>, rows: Int, columns: Int, for weightType: GGMLType) {
        shape(rows: rows, columns: columns, for: weightType)
        for r in 0..<rows { quantize(x, row: r) }
    }

    /// The first half of `prepare`: the layout for `rows` rows against `weightType`, without the rows. Each row
    /// is then quantized by `quantize(_:row:)`, which touches that row's storage only, so rows may be quantized
    /// side by side.
    mutating func shape(rows: Int, columns: Int, for weightType: GGMLType) {
        precondition(rows * columns <= capacity, "activation scratch too small")
        self.rows = rows
        self.columns = columns
        switch weightType {
        case .q8_0: kind = .q8_0; pairGroup = 32
        case .q4_0, .q5_0: kind = .q8_0; pairGroup = 16
        case .q4_K, .q5_K, .q6_K: kind = .q8_K; pairGroup = 32
        case .f32, .f16, .bf16: kind = .float
        }
        rounding = weightType
        if kind == .q8_0 {
            for b in 0..<(columns / 32) {
                for r in rows..<blockScaleStride {
                    blockScales[b * blockScaleStride + r] = 0
                    blockSumsByBlock[b * blockScaleStride + r] = 0
                }
            }
        }
    }

    func deallocate() {
        values.deallocate(); scales.deallocate(); blockScales.deallocate(); sums.deallocate(); floats.deallocate()
        blockSums.deallocate(); blockSumsByBlock.deallocate()
    }

    /// Quantizes row `r` of `x` (row stride `columns`) for the layout `shape` set.
    func quantize(_ x: UnsafePointer<Float>, row r: Int) {
        let src = x + r * columns
        switch kind {
        case .q8_0: quantizeQ8_0(src, row: r)
        case .q8_K: quantizeQ8_K(src, row: r)
        case .float:
            let dst = floats + r * columns
            switch rounding {
            case .f16?: for i in 0..<columns { dst[i] = roundToHalf(src[i]) }
            case .bf16?: for i in 0..<columns { dst[i] = roundToBFloat(src[i]) }
            default: dst.update(from: src, count: columns)
            }
        }
    }

    @inline(__always) private func store(_ q: UnsafePointer<Int32>, count: Int, to dst: UnsafeMutablePointer<Value>) {
        if !Self.permuted {
            for j in 0..<count { dst[j] = Value(truncatingIfNeeded: q[j]) }
            return
        }
        // evens then odds inside each group of `pairGroup`
        let half = pairGroup / 2
        var g = 0
        while g < count {
            for j in 0..<half {
                dst[g + j] = Value(truncatingIfNeeded: q[g + 2 * j])
                dst[g + half + j] = Value(truncatingIfNeeded: q[g + 2 * j + 1])
            }
            g += pairGroup
        }
    }

    private func quantizeQ8_0(_ x: UnsafePointer<Float>, row: Int) {
        let nb = columns / 32
        var q = [Int32](repeating: 0, count: 32)
        for b in 0..<nb where !Self.permuted {
            // bytes in natural order: the vector steps of the prompt form give the same values
            let p = UnsafeRawPointer(x + b * 32), dst = UnsafeMutableRawPointer(values + row * columns + b * 32)
            let (low, high) = ByteQuantizer.extremes(p, count: 32)
            let amax = max(high, -low)
            let id: Float = amax != 0 ? 127 / amax : 0
            let sum = ByteQuantizer.quantize16(p, times: id, into: dst) &+ ByteQuantizer.quantize16(p + 64, times: id, into: dst + 16)
            scales[row * nb + b] = roundToHalf(amax / 127)
            blockScales[b * blockScaleStride + row] = scales[row * nb + b]
            blockSums[row * nb + b] = sum
            blockSumsByBlock[b * blockScaleStride + row] = sum
        }
        for b in 0..<nb where Self.permuted {
            let p = x + b * 32
            var amax: Float = 0
            for j in 0..<32 { amax = max(amax, abs(p[j])) }
            let id: Float = amax != 0 ? 127 / amax : 0
            for j in 0..<32 { q[j] = Int32((p[j] * id).rounded(.toNearestOrEven)) }
            scales[row * nb + b] = roundToHalf(amax / 127)
            blockScales[b * blockScaleStride + row] = scales[row * nb + b]
            var sum: Int32 = 0
            for j in 0..<32 { sum += q[j] }
            blockSums[row * nb + b] = sum
            blockSumsByBlock[b * blockScaleStride + row] = sum
            q.withUnsafeBufferPointer { store($0.baseAddress!, count: 32, to: values + row * columns + b * 32) }
        }
    }

    private func quantizeQ8_K(_ x: UnsafePointer<Float>, row: Int) {
        let nb = columns / 256
        var q = [Int32](repeating: 0, count: 256)
        for b in 0..<nb {
            let p = x + b * 256
            let (amax, maxv) = Self.largestMagnitude(p)
            if amax == 0 {
                for j in 0..<256 { q[j] = 0 }
                scales[row * nb + b] = 0
            } else {
                let iscale = -127 / maxv
                q.withUnsafeMutableBufferPointer { Self.roundScaled(p, by: iscale, into: $0.baseAddress!) }
                scales[row * nb + b] = 1 / iscale
            }
            for g in 0..<16 {
                var s: Int32 = 0
                for j in 0..<16 { s += q[g * 16 + j] }
                sums[row * (columns / 16) + b * 16 + g] = Int16(s)
            }
            q.withUnsafeBufferPointer { store($0.baseAddress!, count: 256, to: values + row * columns + b * 256) }
        }
    }
}

extension QuantizedActivations {
    /// The largest |x| of 256 values and the first value that has it, as ggml's Q8_K quantizer picks them (NaN
    /// never counts). Found sixteen lanes at a time, then the value is looked up; NaNs take the plain loop.
    @inline(__always)
    static func largestMagnitude(_ p: UnsafePointer<Float>) -> (magnitude: Float, value: Float) {
        var lanes = SIMD16<Float>(), nonFinite = SIMD16<Float>()
        for i in stride(from: 0, to: 256, by: 16) {
            let x = UnsafeRawPointer(p + i).loadUnaligned(as: SIMD16<Float>.self)
            nonFinite += x * 0  // NaN as soon as one value is NaN or infinite
            lanes = laneMaximum(lanes, unsafeBitCast(unsafeBitCast(x, to: SIMD16<UInt32>.self) & 0x7FFF_FFFF, to: SIMD16<Float>.self))
        }
        let amax = lanes.max()
        if nonFinite.sum() == 0 {
            if amax == 0 { return (0, 0) }
            for j in 0..<256 where abs(p[j]) == amax { return (amax, p[j]) }
        }
        var magnitude: Float = 0, value: Float = 0
        for j in 0..<256 where abs(p[j]) > magnitude { magnitude = abs(p[j]); value = p[j] }
        return (magnitude, value)
    }

    /// q[j] = min(127, x[j] · scale rounded to nearest, ties to even) for 256 values. |x · scale| ≤ 127 by the
    /// choice of scale, so the CPU's own rounding conversion (the default rounding mode is to nearest even)
    /// gives exactly the rounded values, sixteen at a time, where Swift's checked conversion goes one by one.
    @inline(__always)
    static func roundScaled(_ x: UnsafePointer<Float>, by scale: Float, into q: UnsafeMutablePointer<Int32>) {
        #if OASST_CPU_CASCADELAKE
        let s = _mm512_set1_ps(scale), top = _mm512_set1_epi32(127)
        for j in stride(from: 0, to: 256, by: 16) {
            let v = _mm512_cvtps_epi32(_mm512_mul_ps(UnsafeRawPointer(x + j).loadUnaligned(as: __m512.self), s))
            UnsafeMutableRawPointer(q + j).storeBytes(of: _mm512_min_epi32(v, top), as: __m512i.self)
        }
        #elseif OASST_CPU_X86_64_V3
        let s = _mm256_set1_ps(scale), top = _mm256_set1_epi32(127)
        for j in stride(from: 0, to: 256, by: 8) {
            let v = _mm256_cvtps_epi32(_mm256_mul_ps(UnsafeRawPointer(x + j).loadUnaligned(as: __m256.self), s))
            UnsafeMutableRawPointer(q + j).storeBytes(of: _mm256_min_epi32(v, top), as: __m256i.self)
        }
        #else
        for j in 0..<256 { q[j] = min(127, Int32((scale * x[j]).rounded(.toNearestOrEven))) }
        #endif
    }

    /// The values row `r` stands for, in natural order (scale × integer); for diagnostics and tests.
    func dequantized(row r: Int) -> [Float] {
        if kind == .float { return Array(UnsafeBufferPointer(start: floats + r * columns, count: columns)) }
        var out = [Float](repeating: 0, count: columns)
        let v = values + r * columns
        if Self.permuted {
            let half = pairGroup / 2
            for g in stride(from: 0, to: columns, by: pairGroup) {
                for j in 0..<half {
                    out[g + 2 * j] = Float(v[g + j])
                    out[g + 2 * j + 1] = Float(v[g + half + j])
                }
            }
        } else {
            for i in 0..<columns { out[i] = Float(v[i]) }
        }
        let bs = blockSize
        for i in 0..<columns { out[i] *= scales[r * (columns / bs) + i / bs] }
        return out
    }
}
