#if OASST_CPU_CASCADELAKE || OASST_CPU_X86_64_V3
import _Builtin_intrinsics.intel
#endif

/// The lane-by-lane maximum of two vectors. Swift's generic `pointwiseMax` compiles to a loop over the lanes
/// through memory; the CPU has an instruction for it. Which operand wins when one is NaN is left open: callers
/// check for NaN themselves.
@inline(__always) func laneMaximum(_ a: SIMD16<Float>, _ b: SIMD16<Float>) -> SIMD16<Float> {
    #if OASST_CPU_CASCADELAKE
    return unsafeBitCast(_mm512_max_ps(unsafeBitCast(a, to: __m512.self), unsafeBitCast(b, to: __m512.self)), to: SIMD16<Float>.self)
    #elseif OASST_CPU_X86_64_V3
    let (a0, a1) = unsafeBitCast(a, to: (__m256, __m256).self), (b0, b1) = unsafeBitCast(b, to: (__m256, __m256).self)
    return unsafeBitCast((_mm256_max_ps(a0, b0), _mm256_max_ps(a1, b1)), to: SIMD16<Float>.self)
    #else
    return a.replacing(with: b, where: b .> a)
    #endif
}
