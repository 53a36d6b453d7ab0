#if OASST_CPU_CASCADELAKE || OASST_CPU_X86_64_V3
import _Builtin_intrinsics.intel

/// Matrix products for blocks of 32 weights with one fp16 scale (Q8_0, Q5_0, Q4_0), computed in tiles of
/// eight (or four) dot products: one weight row against the activation rows of several decode steps.
///
/// A block's integer products leave eight partial sums per dot product; the tile adds them across lanes
/// into one lane per product, so converting, scaling and accumulating the block costs one vector
/// operation for the whole tile instead of one per product. In every lane the arithmetic is that of
/// `blocks32` in `QuantDotAVX2.swift` — `total += Float(Σ w·a) × (d_w × d_a)`, block after block — so a
/// result does not depend on the tile it was computed in, nor on the other sequences of a batch.
extension QuantDot {
    /// Lane k: the sum of the eight lanes of `v.k` (exact: the callers' sums stay far from overflow).
    @inline(__always)
    static func laneSums(_ v: (__m256i, __m256i, __m256i, __m256i, __m256i, __m256i, __m256i, __m256i)) -> SIMD8<Int32> {
        let h01 = _mm256_hadd_epi32(v.0, v.1), h23 = _mm256_hadd_epi32(v.2, v.3)
        let h45 = _mm256_hadd_epi32(v.4, v.5), h67 = _mm256_hadd_epi32(v.6, v.7)
        // lanes: sums of the low four lanes of v0…v3 | sums of their high four lanes
        let h0123 = unsafeBitCast(_mm256_hadd_epi32(h01, h23), to: SIMD8<Int32>.self)
        let h4567 = unsafeBitCast(_mm256_hadd_epi32(h45, h67), to: SIMD8<Int32>.self)
        return SIMD8(lowHalf: h0123.lowHalf, highHalf: h4567.lowHalf) &+ SIMD8(lowHalf: h0123.highHalf, highHalf: h4567.highHalf)
    }

    /// Lane k: the sum of the eight lanes of `v.k`.
    @inline(__always)
    static func laneSums(_ v: (__m256i, __m256i, __m256i, __m256i)) -> SIMD4<Int32> {
        let h0123 = unsafeBitCast(_mm256_hadd_epi32(_mm256_hadd_epi32(v.0, v.1), _mm256_hadd_epi32(v.2, v.3)), to: SIMD8<Int32>.self)
        return h0123.lowHalf &+ h0123.highHalf
    }

    /// Lane k: one weight row · activation row k, for the rows of a tile starting at `a` (`stride` values
    /// apart, `rows` of them; lanes past the last repeat it). Block b's scales of the tile's rows are at
    /// `scales + b * scaleStride`, zero past the last row, and their activation sums at `asums + b * scaleStride`.
    @inline(__always)
    static func blocks32ActivationRows8(_ w: UnsafeRawPointer, _ a: UnsafePointer<Int8>, rows: Int, stride: Int,
                                        _ scales: UnsafePointer<Float>, _ asums: UnsafePointer<Int32>, scaleStride: Int,
                                        blocks: Int, _ format: Blocks32Format) -> SIMD8<Float> {
        @inline(__always) func row(_ k: Int) -> UnsafePointer<Int8> { a + min(k, rows - 1) * stride }
        let a0 = row(0), a1 = row(1), a2 = row(2), a3 = row(3), a4 = row(4), a5 = row(5), a6 = row(6), a7 = row(7)
        var total = SIMD8<Float>()
        for b in 0..<blocks {
            let wp = w + b * format.size
            let q = format.weights(wp)
            let o = 32 * b
            let sums = laneSums((q.sum4(ByteDot.load(a0, o)), q.sum4(ByteDot.load(a1, o)), q.sum4(ByteDot.load(a2, o)),
                                 q.sum4(ByteDot.load(a3, o)), q.sum4(ByteDot.load(a4, o)), q.sum4(ByteDot.load(a5, o)),
                                 q.sum4(ByteDot.load(a6, o)), q.sum4(ByteDot.load(a7, o))))
            let exact = format.exact(sums, activationSums: UnsafeRawPointer(asums + b * scaleStride).loadUnaligned(as: SIMD8<Int32>.self))
            let d = SIMD8<Float>(repeating: loadHalf(wp))
            total += SIMD8<Float>(exact) * (d * UnsafeRawPointer(scales + b * scaleStride).loadUnaligned(as: SIMD8<Float>.self))
        }
        return total
    }

    /// As `blocks32ActivationRows8`, for a tile of up to four activation rows.
    @inline(__always)
    static func blocks32ActivationRows4(_ w: UnsafeRawPointer, _ a: UnsafePointer<Int8>, rows: Int, stride: Int,
                                        _ scales: UnsafePointer<Float>, _ asums: UnsafePointer<Int32>, scaleStride: Int,
                                        blocks: Int, _ format: Blocks32Format) -> SIMD4<Float> {
        @inline(__always) func row(_ k: Int) -> UnsafePointer<Int8> { a + min(k, rows - 1) * stride }
        let a0 = row(0), a1 = row(1), a2 = row(2), a3 = row(3)
        var total = SIMD4<Float>()
        for b in 0..<blocks {
            let wp = w + b * format.size
            let q = format.weights(wp)
            let o = 32 * b
            let sums = laneSums((q.sum4(ByteDot.load(a0, o)), q.sum4(ByteDot.load(a1, o)),
                                 q.sum4(ByteDot.load(a2, o)), q.sum4(ByteDot.load(a3, o))))
            let exact = format.exact(sums, activationSums: UnsafeRawPointer(asums + b * scaleStride).loadUnaligned(as: SIMD4<Int32>.self))
            let d = SIMD4<Float>(repeating: loadHalf(wp))
            total += SIMD4<Float>(exact) * (d * UnsafeRawPointer(scales + b * scaleStride).loadUnaligned(as: SIMD4<Float>.self))
        }
        return total
    }

    /// Decode batches of at least this many rows take the panel kernel where there is one (`QuantDotPanelsVNNI`).
    static let panelBatch = 4

    /// out[b * outStride + r] = weight row r · activation row b, for rows `range` of a Q8_0, Q5_0 or Q4_0
    /// matrix at `w` and every activation row.
    static func blocks32Product(_ type: GGMLType, _ w: UnsafeRawPointer, rowBytes: Int, _ act: QuantizedActivations,
                                rows range: Range<Int>, into out: UnsafeMutablePointer<Float>, outStride: Int) {
        switch Blocks32Format(type) {
        case .q8_0: blocks32Product(w, rowBytes: rowBytes, act, rows: range, into: out, outStride: outStride, .q8_0)
        case .q5_0: blocks32Product(w, rowBytes: rowBytes, act, rows: range, into: out, outStride: outStride, .q5_0)
        case .q4_0: blocks32Product(w, rowBytes: rowBytes, act, rows: range, into: out, outStride: outStride, .q4_0)
        }
    }

    @inline(__always)
    private static func blocks32Product(_ w: UnsafeRawPointer, rowBytes: Int, _ act: QuantizedActivations,
                                        rows range: Range<Int>, into out: UnsafeMutablePointer<Float>, outStride: Int,
                                        _ format: Blocks32Format) {
        let n = act.columns, blocks = n / 32, batch = act.rows
        if batch == 1 {
            // Row after row: a single sequence's step is bound by memory, and interleaving the blocks of
            // several weight rows would defeat the hardware prefetcher.
            for r in range { out[r] = blocks32(w + r * rowBytes, act.values, act.scales, act.blockSums, blocks: blocks, format) }
            return
        }
        let scaleStride = act.blockScaleStride
        var start = range.lowerBound
        #if OASST_CPU_CASCADELAKE
        if batch >= panelBatch {
            while start + panelHeight <= range.upperBound {
                var first = 0
                while first < batch {
                    let tokens = first..<min(batch, first + 8)
                    blocks32Panel(w, rowBytes: rowBytes, first: start, act, tokens: tokens, into: out, outStride: outStride, format)
                    first = tokens.upperBound
                }
                start += panelHeight
            }
        }
        #endif
        // Every weight row serves all activation rows while it is in L1: the weights stream from memory once.
        for r in start..<range.upperBound {
            let wr = w + r * rowBytes
            var first = 0
            while first < batch {
                let rows = min(8, batch - first)
                let a = act.values + first * n, o = out + first * outStride + r
                let scales = act.blockScales + first, asums = act.blockSumsByBlock + first
                if rows > 4 {
                    let v = blocks32ActivationRows8(wr, a, rows: rows, stride: n, scales, asums, scaleStride: scaleStride,
                                                    blocks: blocks, format)
                    for k in 0..<rows { o[k * outStride] = v[k] }
                } else {
                    let v = blocks32ActivationRows4(wr, a, rows: rows, stride: n, scales, asums, scaleStride: scaleStride,
                                                    blocks: blocks, format)
                    for k in 0..<rows { o[k * outStride] = v[k] }
                }
                first += rows
            }
        }
    }
}
#endif
