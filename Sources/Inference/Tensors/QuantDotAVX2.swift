#if OASST_CPU_CASCADELAKE || OASST_CPU_X86_64_V3
import _Builtin_intrinsics.intel

/// The integer kernels for a target compiled with AVX2 (and VNNI on AVX-512 machines): activations are
/// 8-bit in natural order, a block of 32 weights is unpacked into one 256-bit register of bytes, and
/// byte products are summed by `ByteDot`. Each block's integer sums are exact and the float work after
/// them is the portable kernels', operation for operation, so a row's result is the same bits in every
/// build and whether the single-row or the batched kernel (`QuantDotRowsAVX2.swift`) computed it.
extension QuantDot {
    // MARK: 32-value blocks with one fp16 scale — Q8_0 (34 bytes), Q5_0 (22), Q4_0 (18)

    /// How a type's 32-value blocks are read: block size in bytes, and its 32 weights as bytes. With VNNI
    /// the bytes are unsigned — the stored value plus `offset` (Q8_0's sign bit flipped, Q5_0's and Q4_0's
    /// raw 5 and 4 bits) — and the kernels subtract offset × Σa (`QuantizedActivations.blockSums`) from
    /// each block's integer sum. Without VNNI they are the signed weights, for the sign trick.
    /// (An enum, so that a kernel inlined for one case compiles to that case's instructions alone.)
    enum Blocks32Format {
        case q8_0, q5_0, q4_0

        init(_ type: GGMLType) {
            switch type {
            case .q8_0: self = .q8_0
            case .q5_0: self = .q5_0
            case .q4_0: self = .q4_0
            default: preconditionFailure("\(type) has no 32-value blocks with one scale")
            }
        }

        @inline(__always) var size: Int {
            switch self { case .q8_0: 34; case .q5_0: 22; case .q4_0: 18 }
        }

        @inline(__always) var offset: Int32 {
            switch self { case .q8_0: 128; case .q5_0: 16; case .q4_0: 8 }
        }

        /// The block's 32 weights as bytes (Q4_0: nibbles, low ones first, value q − 8; Q5_0: nibbles plus
        /// a fifth bit from the 32-bit `qh`, value q − 16).
        @inline(__always) func bytes(_ wp: UnsafeRawPointer) -> __m256i {
            switch self {
            case .q8_0:
                #if OASST_CPU_CASCADELAKE
                return _mm256_xor_si256(ByteDot.load(wp, 2), ByteDot.bytes(0x80))
                #else
                return ByteDot.load(wp, 2)
                #endif
            case .q4_0:
                #if OASST_CPU_CASCADELAKE
                return ByteDot.nibbles32(wp, 2)
                #else
                return _mm256_sub_epi8(ByteDot.nibbles32(wp, 2), ByteDot.bytes(8))
                #endif
            case .q5_0:
                let bits = wp.loadUnaligned(fromByteOffset: 2, as: UInt32.self)
                #if OASST_CPU_CASCADELAKE
                let nibbles = ByteDot.nibbles32(wp, 6)
                return _mm256_mask_add_epi8(nibbles, __mmask32(bits), nibbles, ByteDot.bytes(0x10))
                #else
                let fifth = _mm256_and_si256(ByteDot.bitsToBytes(bits), ByteDot.bytes(0x10))
                return _mm256_sub_epi8(_mm256_or_si256(ByteDot.nibbles32(wp, 6), fifth), ByteDot.bytes(16))
                #endif
            }
        }

        /// The block's weights at `wp`, ready for products with any number of activation rows.
        @inline(__always) func weights(_ wp: UnsafeRawPointer) -> Block32Weights { Block32Weights(bytes(wp)) }

        /// The exact block sums from lane sums: with VNNI, offset × Σa removed.
        @inline(__always) func exact<V: SIMD>(_ sums: V, activationSums: V) -> V where V.Scalar == Int32 {
            #if OASST_CPU_CASCADELAKE
            return sums &- activationSums &* offset
            #else
            return sums
            #endif
        }
    }

    /// A block's 32 weights (`Blocks32Format.bytes`) prepared once for products with activation rows.
    struct Block32Weights {
        #if OASST_CPU_CASCADELAKE
        let unsigned: __m256i
        @inline(__always) init(_ bytes: __m256i) { unsigned = bytes }

        /// Per 32-bit lane, the sum of four products with activations `a`, before the offset is removed.
        @inline(__always) func sum4(_ a: __m256i) -> __m256i { ByteDot.sum4(unsigned, a) }
        #else
        let signed: ByteDot.SignedWeights
        @inline(__always) init(_ bytes: __m256i) { signed = ByteDot.SignedWeights(bytes) }

        /// Per 32-bit lane, the sum of four products with activations `a`.
        @inline(__always) func sum4(_ a: __m256i) -> __m256i { signed.sum4(a) }
        #endif
    }

    /// Row `b` of `act` · weight row `w` of a Q8_0, Q5_0 or Q4_0 matrix.
    @inline(__always)
    static func blocks32Dot(_ type: GGMLType, _ w: UnsafeRawPointer, _ act: QuantizedActivations, row b: Int) -> Float {
        let blocks = act.columns / 32
        let a = act.values + b * act.columns, ad = act.scales + b * blocks, sums = act.blockSums + b * blocks
        switch Blocks32Format(type) {
        case .q8_0: return blocks32(w, a, ad, sums, blocks: blocks, .q8_0)
        case .q5_0: return blocks32(w, a, ad, sums, blocks: blocks, .q5_0)
        case .q4_0: return blocks32(w, a, ad, sums, blocks: blocks, .q4_0)
        }
    }

    /// The integer sums (weights unsigned, before the offset is removed) of four Q8_0 blocks at `wp` with the
    /// activations at `a`: two blocks per 512-bit product. A block pair's 64 weight bytes are two runs split
    /// by the second block's scale, so the second run is loaded into the upper half under a mask.
    #if OASST_CPU_CASCADELAKE
    @inline(__always)
    static func q8_0LaneSums4(_ wp: UnsafeRawPointer, _ a: UnsafePointer<Int8>) -> SIMD4<Int32> {
        let flip = _mm512_set1_epi8(-128)
        @inline(__always) func pair(_ k: Int) -> __m512i {
            let p = wp + 2 * Blocks32Format.q8_0.size * k
            let low = _mm512_castsi256_si512(ByteDot.load(p, 2))
            // lane j ≥ 32 reads p + 4 + j: the second block's bytes, after its 2-byte scale
            let both = _mm512_mask_loadu_epi8(low, 0xFFFF_FFFF_0000_0000, p + 4)
            let act = UnsafeRawPointer(a + 64 * k).loadUnaligned(as: __m512i.self)
            return _mm512_dpbusd_epi32(_mm512_setzero_si512(), _mm512_xor_si512(both, flip), act)
        }
        let v0 = pair(0), v1 = pair(1)
        let swap = unsafeBitCast(SIMD8<Int64>(4, 5, 6, 7, 0, 1, 2, 3), to: __m512i.self)
        return laneSums((_mm512_castsi512_si256(v0), _mm512_castsi512_si256(_mm512_permutexvar_epi64(swap, v0)),
                         _mm512_castsi512_si256(v1), _mm512_castsi512_si256(_mm512_permutexvar_epi64(swap, v1))))
    }
    #endif

    /// Σ over blocks of Float(w·a)·(d_w·d_a), block after block. The tile kernels
    /// (`QuantDotTilesAVX2.swift`) compute each of their products with exactly these operations.
    @inline(__always)
    static func blocks32(_ w: UnsafeRawPointer, _ a: UnsafePointer<Int8>, _ ad: UnsafePointer<Float>, _ asums: UnsafePointer<Int32>,
                         blocks: Int, _ format: Blocks32Format) -> Float {
        var total: Float = 0
        let size = format.size
        var b = 0
        // Four blocks share one reduction of their integer sums across lanes; the float work that follows
        // is still each block's own, added in block order.
        while b + 4 <= blocks {
            @inline(__always) func dot(_ k: Int) -> __m256i { format.weights(w + (b + k) * size).sum4(ByteDot.load(a, 32 * (b + k))) }
            @inline(__always) func bits(_ k: Int) -> UInt16 { (w + (b + k) * size).loadUnaligned(as: UInt16.self) }
            // The CPU converts the four fp16 scales exactly as the table would, without a quarter-megabyte
            // table competing with the weights for the cache.
            let scales = unsafeBitCast(_mm_cvtph_ps(unsafeBitCast(SIMD8<UInt16>(bits(0), bits(1), bits(2), bits(3), 0, 0, 0, 0), to: __m128i.self)),
                                       to: SIMD4<Float>.self)
            #if OASST_CPU_CASCADELAKE
            let lanes = format == .q8_0 ? q8_0LaneSums4(w + b * size, a + 32 * b) : laneSums((dot(0), dot(1), dot(2), dot(3)))
            #else
            let lanes = laneSums((dot(0), dot(1), dot(2), dot(3)))
            #endif
            let sums = SIMD4<Float>(format.exact(lanes, activationSums: UnsafeRawPointer(asums + b).loadUnaligned(as: SIMD4<Int32>.self)))
            let products = sums * (scales * UnsafeRawPointer(ad + b).loadUnaligned(as: SIMD4<Float>.self))
            total += products[0]
            total += products[1]
            total += products[2]
            total += products[3]
            b += 4
        }
        while b < blocks {
            let wp = w + b * size
            let sum = format.exact(SIMD2(ByteDot.sum(format.weights(wp).sum4(ByteDot.load(a, 32 * b))), 0), activationSums: SIMD2(asums[b], 0))[0]
            total += Float(sum) * (loadHalf(wp) * ad[b])
            b += 1
        }
        return total
    }

    // MARK: Q4_K / Q5_K — 256 values in 8 groups of 32, each with a 6-bit scale and a 6-bit min

    /// The eight scales and eight mins of a K-quant block, one byte each, from their 12-byte packing.
    @inline(__always) static func kScalesMins(_ p: UnsafeRawPointer) -> (scales: UInt64, mins: UInt64) {
        let u0 = p.loadUnaligned(as: UInt32.self), u1 = p.loadUnaligned(fromByteOffset: 4, as: UInt32.self)
        let u2 = p.loadUnaligned(fromByteOffset: 8, as: UInt32.self)
        let low6: UInt32 = 0x3F3F_3F3F, low4: UInt32 = 0x0F0F_0F0F, low2: UInt32 = 0x0303_0303
        // groups 0–3 keep their 6 bits in bytes 0–7; groups 4–7 take 4 bits from bytes 8–11 and 2 from the tops of 0–7
        let s03 = u0 & low6, m03 = u1 & low6
        let s47 = (u2 & low4) | (((u0 >> 6) & low2) << 4)
        let m47 = ((u2 >> 4) & low4) | (((u1 >> 6) & low2) << 4)
        return (UInt64(s03) | UInt64(s47) << 32, UInt64(m03) | UInt64(m47) << 32)
    }

    /// The eight scales as 16-bit lanes, repeated in both 128-bit halves, for `groupScale`.
    @inline(__always) static func kScales16(_ scales: UInt64) -> __m256i {
        _mm256_broadcastsi128_si256(_mm_cvtepu8_epi16(_mm_set_epi64x(0, Int64(bitPattern: scales))))
    }

    /// Scale `g` of `kScales16` in every 16-bit lane.
    @inline(__always) static func groupScale(_ scales16: __m256i, _ g: Int) -> __m256i {
        _mm256_shuffle_epi8(scales16, _mm256_set1_epi16(Int16(2 * g) | Int16(2 * g + 1) << 8))
    }

    /// Each min paired with the two 16-value sums of its group: lanes m0, m0, m1, m1, …, m7, m7.
    @inline(__always) static func kMinPairs(_ mins: UInt64) -> __m256i {
        let m = _mm_set_epi64x(0, Int64(bitPattern: mins))
        return _mm256_cvtepu8_epi16(_mm_unpacklo_epi8(m, m))
    }

    /// Σ min·(sum of the group's activations) of block `b`.
    @inline(__always) static func kMinSum(_ minPairs: __m256i, _ bsums: UnsafePointer<Int16>, _ b: Int) -> Int32 {
        ByteDot.sum(_mm256_madd_epi16(ByteDot.load(bsums, 32 * b), minPairs))
    }

    /// The 64 unsigned values of chunk `c` (groups 2c and 2c+1) of a Q4_K block.
    @inline(__always) static func q4_KChunk(_ wp: UnsafeRawPointer, _ c: Int) -> (__m256i, __m256i) {
        let raw = ByteDot.load(wp, 16 + 32 * c), low = ByteDot.bytes(0x0F)
        return (_mm256_and_si256(raw, low), _mm256_and_si256(_mm256_srli_epi16(raw, 4), low))
    }

    /// The 64 unsigned values of chunk `c` of a Q5_K block: nibbles plus bits 2c and 2c+1 of `qh`'s bytes.
    @inline(__always) static func q5_KChunk(_ wp: UnsafeRawPointer, _ qh: __m256i, _ c: Int) -> (__m256i, __m256i) {
        let raw = ByteDot.load(wp, 48 + 32 * c), low = ByteDot.bytes(0x0F), one = ByteDot.bytes(1)
        let h0 = _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(qh, Int32(2 * c)), one), 4)
        let h1 = _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(qh, Int32(2 * c + 1)), one), 4)
        return (_mm256_or_si256(_mm256_and_si256(raw, low), h0),
                _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(raw, 4), low), h1))
    }

    /// Σ over blocks of d·d_a·Σ scale·(q·a) − dmin·d_a·Σ min·(sums of a), for Q4_K or Q5_K (`highBits`).
    /// Each block's integer sums are complete before the float arithmetic, which is the portable kernels'.
    @inline(__always)
    static func kBlocks(_ w: UnsafeRawPointer, size: Int, highBits: Bool, _ a: UnsafePointer<Int8>, _ ad: UnsafePointer<Float>,
                        _ bsums: UnsafePointer<Int16>, blocks: Int) -> Float {
        var total: Float = 0
        for b in 0..<blocks {
            let wp = w + b * size
            let (scales, mins) = kScalesMins(wp + 4)
            let s16 = kScales16(scales)
            let qh = highBits ? ByteDot.load(wp, 16) : _mm256_setzero_si256()
            var sumi = _mm256_setzero_si256()
            for c in 0..<4 {
                let (lo, hi) = highBits ? q5_KChunk(wp, qh, c) : q4_KChunk(wp, c)
                sumi = ByteDot.addPairProducts(sumi, ByteDot.sum2(lo, ByteDot.load(a, 256 * b + 64 * c)), groupScale(s16, 2 * c))
                sumi = ByteDot.addPairProducts(sumi, ByteDot.sum2(hi, ByteDot.load(a, 256 * b + 64 * c + 32)), groupScale(s16, 2 * c + 1))
            }
            let da = ad[b]
            total += loadHalf(wp) * da * Float(ByteDot.sum(sumi)) - loadHalf(wp, 2) * da * Float(kMinSum(kMinPairs(mins), bsums, b))
        }
        return total
    }

    @inline(__always)
    static func q4_K(_ w: UnsafeRawPointer, _ a: UnsafePointer<Int8>, _ ad: UnsafePointer<Float>,
                     _ bsums: UnsafePointer<Int16>, blocks: Int) -> Float {
        kBlocks(w, size: 144, highBits: false, a, ad, bsums, blocks: blocks)
    }

    @inline(__always)
    static func q5_K(_ w: UnsafeRawPointer, _ a: UnsafePointer<Int8>, _ ad: UnsafePointer<Float>,
                     _ bsums: UnsafePointer<Int16>, blocks: Int) -> Float {
        kBlocks(w, size: 176, highBits: true, a, ad, bsums, blocks: blocks)
    }

    // MARK: Q6_K — 210 bytes: 128 bytes low nibbles, 64 bytes high 2-bit pairs, 16 int8 scales, fp16 d

    /// The 128 unsigned 6-bit values (0…63, the value + 32) of half `h` of a Q6_K block, as four runs of 32.
    @inline(__always) static func q6_KHalf(_ wp: UnsafeRawPointer, _ h: Int) -> (__m256i, __m256i, __m256i, __m256i) {
        let ql0 = ByteDot.load(wp, 64 * h), ql1 = ByteDot.load(wp, 64 * h + 32), qh = ByteDot.load(wp, 128 + 32 * h)
        let low = ByteDot.bytes(0x0F)
        // the two high bits of value run r sit at bits 2r, 2r+1 of qh; move them to bits 4–5
        let q0 = _mm256_or_si256(_mm256_and_si256(ql0, low), _mm256_slli_epi16(_mm256_and_si256(qh, ByteDot.bytes(0x03)), 4))
        let q1 = _mm256_or_si256(_mm256_and_si256(ql1, low), _mm256_slli_epi16(_mm256_and_si256(qh, ByteDot.bytes(0x0C)), 2))
        let q2 = _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(ql0, 4), low), _mm256_and_si256(qh, ByteDot.bytes(0x30)))
        let q3 = _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(ql1, 4), low), _mm256_and_si256(_mm256_srli_epi16(qh, 2), ByteDot.bytes(0x30)))
        return (q0, q1, q2, q3)
    }

    /// Scales j and j+1 as 16-bit lanes: the first in the low 128 bits, the second in the high ones (the
    /// first and second 16 values of a run of 32).
    @inline(__always) static func q6_KScalePair(_ scales: __m128i, _ j: Int) -> __m256i {
        let first = Int64(j) * 0x0101_0101_0101_0101, second = Int64(j + 1) * 0x0101_0101_0101_0101
        return _mm256_cvtepi8_epi16(_mm_shuffle_epi8(scales, _mm_set_epi64x(second, first)))
    }

    /// 32 × Σ scale·(sum of 16 activations): what the +32 offset of the stored values adds to a block.
    @inline(__always) static func q6_KOffset(_ scales: __m128i, _ bsums: UnsafePointer<Int16>, _ b: Int) -> __m256i {
        _mm256_slli_epi32(_mm256_madd_epi16(ByteDot.load(bsums, 32 * b), _mm256_cvtepi8_epi16(scales)), 5)
    }

    @inline(__always)
    static func q6_K(_ w: UnsafeRawPointer, _ a: UnsafePointer<Int8>, _ ad: UnsafePointer<Float>,
                     _ bsums: UnsafePointer<Int16>, blocks: Int) -> Float {
        var total: Float = 0
        for b in 0..<blocks {
            let wp = w + b * 210
            let scales = ByteDot.load128(wp, 192)
            var sumi = _mm256_setzero_si256()
            for h in 0..<2 {
                let (q0, q1, q2, q3) = q6_KHalf(wp, h)
                let ap = 256 * b + 128 * h
                sumi = ByteDot.addPairProducts(sumi, ByteDot.sum2(q0, ByteDot.load(a, ap)), q6_KScalePair(scales, 8 * h))
                sumi = ByteDot.addPairProducts(sumi, ByteDot.sum2(q1, ByteDot.load(a, ap + 32)), q6_KScalePair(scales, 8 * h + 2))
                sumi = ByteDot.addPairProducts(sumi, ByteDot.sum2(q2, ByteDot.load(a, ap + 64)), q6_KScalePair(scales, 8 * h + 4))
                sumi = ByteDot.addPairProducts(sumi, ByteDot.sum2(q3, ByteDot.load(a, ap + 96)), q6_KScalePair(scales, 8 * h + 6))
            }
            sumi = _mm256_sub_epi32(sumi, q6_KOffset(scales, bsums, b))
            total += loadHalf(wp, 208) * ad[b] * Float(ByteDot.sum(sumi))
        }
        return total
    }
}
#endif
