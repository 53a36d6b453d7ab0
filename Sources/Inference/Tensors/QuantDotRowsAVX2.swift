#if OASST_CPU_CASCADELAKE || OASST_CPU_X86_64_V3
import _Builtin_intrinsics.intel

/// Weight rows against four activation rows at once: the batch of decode steps of concurrent sequences.
/// A weight block is loaded and unpacked once (and its sign, scales and mins prepared once) for all four
/// rows. Per row, the integer and float operations are those of the single-row kernels in
/// `QuantDotAVX2.swift`, in the same order, so a sequence's logits do not depend on whom it is batched with.
extension QuantDot {
    /// out[k * outStride] = row · activation row k, for k in 0..<4, for Q4_K weights (Q8_K activations
    /// with their 16-value sums); activation rows are `stride` values apart.
    @inline(__always)
    static func q4_KRows4(_ w: UnsafeRawPointer, _ a: UnsafePointer<Int8>, _ ad: UnsafePointer<Float>, _ bsums: UnsafePointer<Int16>,
                          blocks: Int, stride: Int, into out: UnsafeMutablePointer<Float>, outStride: Int) {
        var total = SIMD4<Float>()
        let scaleStride = stride / 256, sumStride = stride / 16
        for b in 0..<blocks {
            let wp = w + b * 144
            let (scales, mins) = kScalesMins(wp + 4)
            let s16 = kScales16(scales), minPairs = kMinPairs(mins)
            var sumi = (_mm256_setzero_si256(), _mm256_setzero_si256(), _mm256_setzero_si256(), _mm256_setzero_si256())
            for c in 0..<4 {
                let (lo, hi) = q4_KChunk(wp, c)
                let sLo = groupScale(s16, 2 * c), sHi = groupScale(s16, 2 * c + 1)
                @inline(__always) func row(_ k: Int, _ s: inout __m256i) {
                    let ap = a + k * stride + 256 * b + 64 * c
                    s = ByteDot.addPairProducts(s, ByteDot.sum2(lo, ByteDot.load(ap)), sLo)
                    s = ByteDot.addPairProducts(s, ByteDot.sum2(hi, ByteDot.load(ap, 32)), sHi)
                }
                row(0, &sumi.0); row(1, &sumi.1); row(2, &sumi.2); row(3, &sumi.3)
            }
            let d = loadHalf(wp), dmin = loadHalf(wp, 2)
            @inline(__always) func finish(_ k: Int, _ s: __m256i) {
                let da = ad[k * scaleStride + b]
                total[k] += d * da * Float(ByteDot.sum(s)) - dmin * da * Float(kMinSum(minPairs, bsums + k * sumStride, b))
            }
            finish(0, sumi.0); finish(1, sumi.1); finish(2, sumi.2); finish(3, sumi.3)
        }
        for k in 0..<4 { out[k * outStride] = total[k] }
    }

    /// As `q4_KRows4`, for Q6_K weights.
    @inline(__always)
    static func q6_KRows4(_ w: UnsafeRawPointer, _ a: UnsafePointer<Int8>, _ ad: UnsafePointer<Float>, _ bsums: UnsafePointer<Int16>,
                          blocks: Int, stride: Int, into out: UnsafeMutablePointer<Float>, outStride: Int) {
        var total = SIMD4<Float>()
        let scaleStride = stride / 256, sumStride = stride / 16
        for b in 0..<blocks {
            let wp = w + b * 210
            let scales = ByteDot.load128(wp, 192)
            var sumi = (_mm256_setzero_si256(), _mm256_setzero_si256(), _mm256_setzero_si256(), _mm256_setzero_si256())
            for h in 0..<2 {
                let (q0, q1, q2, q3) = q6_KHalf(wp, h)
                let s0 = q6_KScalePair(scales, 8 * h), s1 = q6_KScalePair(scales, 8 * h + 2)
                let s2 = q6_KScalePair(scales, 8 * h + 4), s3 = q6_KScalePair(scales, 8 * h + 6)
                @inline(__always) func row(_ k: Int, _ s: inout __m256i) {
                    let ap = a + k * stride + 256 * b + 128 * h
                    s = ByteDot.addPairProducts(s, ByteDot.sum2(q0, ByteDot.load(ap)), s0)
                    s = ByteDot.addPairProducts(s, ByteDot.sum2(q1, ByteDot.load(ap, 32)), s1)
                    s = ByteDot.addPairProducts(s, ByteDot.sum2(q2, ByteDot.load(ap, 64)), s2)
                    s = ByteDot.addPairProducts(s, ByteDot.sum2(q3, ByteDot.load(ap, 96)), s3)
                }
                row(0, &sumi.0); row(1, &sumi.1); row(2, &sumi.2); row(3, &sumi.3)
            }
            let d = loadHalf(wp, 208)
            @inline(__always) func finish(_ k: Int, _ s: __m256i) {
                let exact = _mm256_sub_epi32(s, q6_KOffset(scales, bsums + k * sumStride, b))
                total[k] += d * ad[k * scaleStride + b] * Float(ByteDot.sum(exact))
            }
            finish(0, sumi.0); finish(1, sumi.1); finish(2, sumi.2); finish(3, sumi.3)
        }
        for k in 0..<4 { out[k * outStride] = total[k] }
    }
}
#endif
