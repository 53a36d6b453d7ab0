#if OASST_CPU_CASCADELAKE
import _Builtin_intrinsics.intel
import CPrefetch

/// Decode batches of Q8_0, Q5_0 and Q4_0 weights in panels of sixteen rows, with AVX-512 VNNI.
///
/// Two blocks of each of sixteen weight rows are brought to unsigned bytes and transposed in registers
/// into sixteen vectors of one column quad of all sixteen rows; one vpdpbusd then adds a quad of one
/// token's activations (broadcast) to that token's sixteen block sums. No sum crosses lanes, and the
/// weights are read from memory between the products, so the loads overlap the arithmetic. Every lane
/// computes `total + Float(Σ w·a − offset × Σa) × (d_w × d_a)` block after block, as `blocks32` does, so a
/// row's result has the bits of a single sequence's step.
extension QuantDot {
    /// Rows of a panel: one per 32-bit lane of a 512-bit vector, as in the prompt kernel's panels.
    static let panelHeight = WeightPanel.height

    typealias Words16 = (__m512i, __m512i, __m512i, __m512i, __m512i, __m512i, __m512i, __m512i, __m512i, __m512i, __m512i, __m512i, __m512i, __m512i, __m512i, __m512i)

    /// The sixteen 32-bit words of each of sixteen vectors, transposed: word j of result i is word i of
    /// input j. Two unpack stages within 128-bit lanes, then two two-source permutes across them.
    @inline(__always)
    static func transposeWords(_ r0: __m512i, _ r1: __m512i, _ r2: __m512i, _ r3: __m512i, _ r4: __m512i, _ r5: __m512i, _ r6: __m512i, _ r7: __m512i, _ r8: __m512i, _ r9: __m512i, _ r10: __m512i, _ r11: __m512i, _ r12: __m512i, _ r13: __m512i, _ r14: __m512i, _ r15: __m512i) -> Words16 {
        let evenLanes = unsafeBitCast(SIMD16<Int32>(0, 1, 2, 3, 8, 9, 10, 11, 16, 17, 18, 19, 24, 25, 26, 27), to: __m512i.self)
        let oddLanes = unsafeBitCast(SIMD16<Int32>(4, 5, 6, 7, 12, 13, 14, 15, 20, 21, 22, 23, 28, 29, 30, 31), to: __m512i.self)
        // Per 128-bit lane L, group j of inputs 4k…4k+3 holds their word 4L + j.
        @inline(__always) func group(_ a: __m512i, _ b: __m512i, _ c: __m512i, _ d: __m512i) -> (__m512i, __m512i, __m512i, __m512i) {
            let t0 = _mm512_unpacklo_epi32(a, b), t1 = _mm512_unpackhi_epi32(a, b)
            let t2 = _mm512_unpacklo_epi32(c, d), t3 = _mm512_unpackhi_epi32(c, d)
            return (_mm512_unpacklo_epi64(t0, t2), _mm512_unpackhi_epi64(t0, t2), _mm512_unpacklo_epi64(t1, t3), _mm512_unpackhi_epi64(t1, t3))
        }
        // Words 4L + j of inputs 0…3 (a), 4…7 (b), 8…11 (c), 12…15 (d): the results for words j, 4 + j, 8 + j, 12 + j.
        @inline(__always) func across(_ a: __m512i, _ b: __m512i, _ c: __m512i, _ d: __m512i) -> (__m512i, __m512i, __m512i, __m512i) {
            let ab02 = _mm512_permutex2var_epi32(a, evenLanes, b), ab13 = _mm512_permutex2var_epi32(a, oddLanes, b)
            let cd02 = _mm512_permutex2var_epi32(c, evenLanes, d), cd13 = _mm512_permutex2var_epi32(c, oddLanes, d)
            return (_mm512_permutex2var_epi32(ab02, evenLanes, cd02), _mm512_permutex2var_epi32(ab13, evenLanes, cd13),
                    _mm512_permutex2var_epi32(ab02, oddLanes, cd02), _mm512_permutex2var_epi32(ab13, oddLanes, cd13))
        }
        let g0 = group(r0, r1, r2, r3), g1 = group(r4, r5, r6, r7), g2 = group(r8, r9, r10, r11), g3 = group(r12, r13, r14, r15)
        let w0 = across(g0.0, g1.0, g2.0, g3.0), w1 = across(g0.1, g1.1, g2.1, g3.1)
        let w2 = across(g0.2, g1.2, g2.2, g3.2), w3 = across(g0.3, g1.3, g2.3, g3.3)
        return (w0.0, w1.0, w2.0, w3.0, w0.1, w1.1, w2.1, w3.1, w0.2, w1.2, w2.2, w3.2, w0.3, w1.3, w2.3, w3.3)
    }

    typealias Words8 = (__m512i, __m512i, __m512i, __m512i, __m512i, __m512i, __m512i, __m512i)

    /// One token's step through a block of sixteen rows: the rows' integer sums — eight column quads (`w`)
    /// times the token's 32 activation bytes at `a`, less `offsetSum` (the weights' offset × Σa) — times the
    /// rows' scales times the token's, added to `f`. Per lane, `total + Float(Σ w·a − offset × Σa) × (d_w × d_a)`.
    @inline(__always)
    static func panelBlockStep(_ f: __m512, _ w: Words8, _ a: UnsafeRawPointer, offsetSum: Int32, scale: __m512, activationScale: Float) -> __m512 {
        @inline(__always) func quad(_ k: Int) -> __m512i { _mm512_set1_epi32(a.loadUnaligned(fromByteOffset: 4 * k, as: Int32.self)) }
        // Two chains of four products instead of one of eight: integer sums are exact in any order.
        var i = _mm512_set1_epi32(0 &- offsetSum), j = _mm512_setzero_si512()
        i = _mm512_dpbusd_epi32(i, w.0, quad(0)); j = _mm512_dpbusd_epi32(j, w.1, quad(1))
        i = _mm512_dpbusd_epi32(i, w.2, quad(2)); j = _mm512_dpbusd_epi32(j, w.3, quad(3))
        i = _mm512_dpbusd_epi32(i, w.4, quad(4)); j = _mm512_dpbusd_epi32(j, w.5, quad(5))
        i = _mm512_dpbusd_epi32(i, w.6, quad(6)); j = _mm512_dpbusd_epi32(j, w.7, quad(7))
        i = _mm512_add_epi32(i, j)
        return _mm512_add_ps(f, _mm512_mul_ps(_mm512_cvtepi32_ps(i), _mm512_mul_ps(scale, _mm512_set1_ps(activationScale))))
    }

    /// out[t * outStride + r] for the sixteen rows from `first` and activation rows `tokens` (at most
    /// eight; `act.rows` must cover them).
    @inline(__always)
    static func blocks32Panel(_ w: UnsafeRawPointer, rowBytes: Int, first: Int, _ act: QuantizedActivations, tokens: Range<Int>,
                              into out: UnsafeMutablePointer<Float>, outStride: Int, _ format: Blocks32Format) {
        let n = act.columns, blocks = n / 32, size = format.size
        let count = tokens.count
        @inline(__always) func token(_ k: Int) -> Int { tokens.lowerBound + min(k, count - 1) }
        let t0 = token(0), t1 = token(1), t2 = token(2), t3 = token(3), t4 = token(4), t5 = token(5), t6 = token(6), t7 = token(7)
        var f0 = _mm512_setzero_ps(), f1 = f0, f2 = f0, f3 = f0, f4 = f0, f5 = f0, f6 = f0, f7 = f0
        let rows = w + first * rowBytes
        let joined = unsafeBitCast(SIMD8<Int64>(0, 1, 2, 3, 8, 9, 10, 11), to: __m512i.self)
        // The next panel's rows are one run of memory: brought in line by line while this one is computed,
        // as the hardware prefetcher would not follow sixteen rows read side by side.
        // (A few lines past its end may be asked for too: a prefetch never faults.)
        let lines = (panelHeight * rowBytes + 63) / 64, steps = (blocks + 1) / 2, linesPerStep = (lines + steps - 1) / steps
        var ahead = UnsafeRawPointer(rows + panelHeight * rowBytes)
        var b = 0
        while b < blocks {
            for _ in 0..<linesPerStep { oasst_prefetch(ahead); ahead += 64 }
            let pair = b + 1 < blocks
            // Row i: block b's 32 bytes, then block b + 1's (zero past the last block).
            @inline(__always) func row(_ i: Int) -> __m512i {
                let p = rows + i * rowBytes + b * size
                let low = _mm512_castsi256_si512(format.bytes(p))
                return pair ? _mm512_permutex2var_epi64(low, joined, _mm512_castsi256_si512(format.bytes(p + size))) : low
            }
            let q = transposeWords(row(0), row(1), row(2), row(3), row(4), row(5), row(6), row(7), row(8), row(9), row(10), row(11), row(12), row(13), row(14), row(15))
            @inline(__always) func block(_ block: Int, _ w0: __m512i, _ w1: __m512i, _ w2: __m512i, _ w3: __m512i,
                                         _ w4: __m512i, _ w5: __m512i, _ w6: __m512i, _ w7: __m512i) {
                let base = rows + block * size
                @inline(__always) func half(_ i: Int) -> UInt16 { (base + i * rowBytes).loadUnaligned(as: UInt16.self) }
                let scale = _mm512_cvtph_ps(unsafeBitCast(SIMD16<UInt16>(half(0), half(1), half(2), half(3), half(4), half(5), half(6), half(7), half(8), half(9), half(10), half(11), half(12), half(13), half(14), half(15)), to: __m256i.self))
                @inline(__always) func accumulate(_ f: __m512, _ t: Int) -> __m512 {
                    panelBlockStep(f, (w0, w1, w2, w3, w4, w5, w6, w7), UnsafeRawPointer(act.values + t * n + 32 * block),
                                   offsetSum: format.offset &* act.blockSums[t * blocks + block], scale: scale,
                                   activationScale: act.scales[t * blocks + block])
                }
                f0 = accumulate(f0, t0); f1 = accumulate(f1, t1); f2 = accumulate(f2, t2); f3 = accumulate(f3, t3)
                f4 = accumulate(f4, t4); f5 = accumulate(f5, t5); f6 = accumulate(f6, t6); f7 = accumulate(f7, t7)
            }
            block(b, q.0, q.1, q.2, q.3, q.4, q.5, q.6, q.7)
            if pair { block(b + 1, q.8, q.9, q.10, q.11, q.12, q.13, q.14, q.15) }
            b += 2
        }
        @inline(__always) func store(_ k: Int, _ f: __m512) {
            if k < count { _mm512_storeu_ps(out + (tokens.lowerBound + k) * outStride + first, f) }
        }
        store(0, f0); store(1, f1); store(2, f2); store(3, f3); store(4, f4); store(5, f5); store(6, f6); store(7, f7)
    }
}
#endif
