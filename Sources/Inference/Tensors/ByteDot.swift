#if OASST_CPU_CASCADELAKE || OASST_CPU_X86_64_V3
import _Builtin_intrinsics.intel

/// The 8-bit arithmetic under the AVX2 kernels. x86 multiplies bytes only as unsigned × signed
/// (vpmaddubsw, and VNNI's vpdpbusd), so quantized weights are either unsigned already (K-quant nibbles,
/// Q6_K's 6-bit values), kept unsigned with an offset removed afterwards (VNNI, see
/// `QuantDot.Blocks32Format`), or made so with the sign trick: |w| × (a with w's sign) = w × a.
enum ByteDot {
    @inline(__always) static func load(_ p: UnsafeRawPointer, _ offset: Int = 0) -> __m256i {
        p.loadUnaligned(fromByteOffset: offset, as: __m256i.self)
    }

    @inline(__always) static func load128(_ p: UnsafeRawPointer, _ offset: Int = 0) -> __m128i {
        p.loadUnaligned(fromByteOffset: offset, as: __m128i.self)
    }

    @inline(__always) static func bytes(_ v: UInt8) -> __m256i { _mm256_set1_epi8(CChar(bitPattern: v)) }

    /// Per 32-bit lane, the sum of four products of unsigned bytes `u` and signed bytes `s`. Exact with
    /// VNNI for any bytes; without it as long as two adjacent products fit in Int16 (|u| ≤ 128, |s| ≤ 127).
    @inline(__always) static func sum4(_ u: __m256i, _ s: __m256i) -> __m256i {
        #if OASST_CPU_CASCADELAKE
        return _mm256_mask_dpbusd_epi32(_mm256_setzero_si256(), 0xFF, u, s)
        #else
        return _mm256_madd_epi16(_mm256_maddubs_epi16(u, s), _mm256_set1_epi16(1))
        #endif
    }

    #if !OASST_CPU_CASCADELAKE
    /// 32 signed weights prepared for products with activation rows, once however many rows there are:
    /// x86 multiplies bytes only as unsigned × signed, hence the sign trick |w| × (a with w's sign).
    struct SignedWeights {
        let q: __m256i
        let magnitude: __m256i

        @inline(__always) init(_ q: __m256i) {
            self.q = q
            magnitude = _mm256_sign_epi8(q, q)
        }

        /// Per 32-bit lane, the sum of four products of the weights with activations `a` (a ≠ −128).
        @inline(__always) func sum4(_ a: __m256i) -> __m256i {
            ByteDot.sum4(magnitude, _mm256_sign_epi8(a, q))
        }
    }
    #endif

    /// Per 16-bit lane, the sum of two products of unsigned bytes `u` and signed bytes `s` (vpmaddubsw;
    /// callers keep |u| ≤ 63 so that nothing saturates).
    @inline(__always) static func sum2(_ u: __m256i, _ s: __m256i) -> __m256i {
        _mm256_maddubs_epi16(u, s)
    }

    /// acc + per 32-bit lane the sum of two products of 16-bit lanes (`vpdpwssd` with VNNI).
    @inline(__always) static func addPairProducts(_ acc: __m256i, _ x: __m256i, _ y: __m256i) -> __m256i {
        #if OASST_CPU_CASCADELAKE
        return _mm256_mask_dpwssd_epi32(acc, 0xFF, x, y)
        #else
        return _mm256_add_epi32(acc, _mm256_madd_epi16(x, y))
        #endif
    }

    /// The sum of the eight 32-bit lanes (exact: the callers' sums stay far from overflow).
    @inline(__always) static func sum(_ v: __m256i) -> Int32 {
        unsafeBitCast(v, to: SIMD8<Int32>.self).wrappedSum()
    }

    /// 32 bytes from 16 bytes of nibbles: low nibbles first, then high nibbles (Q4_0/Q5_0 order).
    @inline(__always) static func nibbles32(_ p: UnsafeRawPointer, _ offset: Int) -> __m256i {
        let x = load128(p, offset)
        let both = _mm256_set_m128i(_mm_srli_epi16(x, 4), x)
        return _mm256_and_si256(both, bytes(0x0F))
    }

    /// 0xFF in byte j where bit j of `bits` is set, else 0.
    @inline(__always) static func bitsToBytes(_ bits: UInt32) -> __m256i {
        let spread = _mm256_shuffle_epi8(_mm256_set1_epi32(Int32(bitPattern: bits)),
                                         _mm256_set_epi64x(0x0303_0303_0303_0303, 0x0202_0202_0202_0202,
                                                           0x0101_0101_0101_0101, 0))
        let bit = _mm256_set1_epi64x(0x7FBF_DFEF_F7FB_FDFE)
        return _mm256_cmpeq_epi8(_mm256_or_si256(spread, bit), _mm256_set1_epi64x(-1))
    }
}
#endif
