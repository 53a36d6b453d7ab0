#if OASST_CPU_CASCADELAKE
import _Builtin_intrinsics.intel
#endif

/// The vector steps of quantizing activations to bytes, shared by the decode (`QuantizedActivations`)
/// and prompt (`PromptActivations`) forms.
enum ByteQuantizer {
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
    @inline(__always) static func quantize16(_ src: UnsafeRawPointer, times m: Float, into dst: UnsafeMutableRawPointer) -> Int32 {
        let v = _mm512_mul_ps(src.loadUnaligned(as: __m512.self), _mm512_set1_ps(m))
        let q = _mm512_min_epi32(_mm512_cvtps_epi32(v), _mm512_set1_epi32(127))
        dst.storeBytes(of: _mm512_cvtsepi32_epi8(q), as: __m128i.self)
        return _mm512_reduce_add_epi32(q)
    }
    #else
    /// The least and the greatest of `count` floats.
    @inline(__always) static func extremes(_ src: UnsafeRawPointer, count: Int) -> (Float, Float) {
        let x = src.assumingMemoryBound(to: Float.self)
        var low = x[0], high = x[0]
        for i in 1..<count { low = min(low, x[i]); high = max(high, x[i]) }
        return (low, high)
    }

    /// Stores min(round(x × m), 127) for 16 floats as bytes and returns their sum.
    @inline(__always) static func quantize16(_ src: UnsafeRawPointer, times m: Float, into dst: UnsafeMutableRawPointer) -> Int32 {
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
