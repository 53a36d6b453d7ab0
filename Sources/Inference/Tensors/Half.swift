#if OASST_CPU_CASCADELAKE || OASST_CPU_X86_64_V3
import _Builtin_intrinsics.intel
#endif

/// Half-precision helpers: GGUF stores block scales as IEEE fp16 and some tensors as fp16 or bf16.
///
/// Without F16C (the baseline x86-64 target) every `Float16` conversion is a library call, and the kernels do
/// one per block, so there conversions go through a table. With F16C (the AVX2 and AVX-512 builds) the CPU
/// converts in one instruction, exactly as the table would: a quarter-megabyte table read once per block
/// competed with the weights for the cache, and single-stream decoding ran about a tenth slower with it.
enum Half {
    /// fp16 bit pattern → Float, for all 65536 patterns.
    nonisolated(unsafe) static let table: UnsafeMutablePointer<Float> = {  // written once, then only read
        let t = UnsafeMutablePointer<Float>.allocate(capacity: 65536)
        for i in 0..<65536 { t[i] = Float(Float16(bitPattern: UInt16(i))) }
        return t
    }()
}

/// The fp16 value with these bits, as a Float.
@inline(__always) func halfToFloat(_ bits: UInt16) -> Float {
    #if OASST_CPU_CASCADELAKE || OASST_CPU_X86_64_V3
    return Float(Float16(bitPattern: bits))
    #else
    return Half.table[Int(bits)]
    #endif
}

/// Sixteen fp16 values from `p`, as Floats.
@inline(__always) func loadHalves16(_ p: UnsafePointer<UInt16>) -> SIMD16<Float> {
    #if OASST_CPU_CASCADELAKE
    return unsafeBitCast(_mm512_cvtph_ps(UnsafeRawPointer(p).loadUnaligned(as: __m256i.self)), to: SIMD16<Float>.self)
    #elseif OASST_CPU_X86_64_V3
    let halves = UnsafeRawPointer(p).loadUnaligned(as: (__m128i, __m128i).self)
    return unsafeBitCast((_mm256_cvtph_ps(halves.0), _mm256_cvtph_ps(halves.1)), to: SIMD16<Float>.self)
    #else
    var out = SIMD16<Float>()
    for i in 0..<16 { out[i] = Half.table[Int(p[i])] }
    return out
    #endif
}

/// Expands `count` fp16 values at `p` into `out`.
@inline(__always) func expandHalves(_ p: UnsafePointer<UInt16>, count: Int, into out: UnsafeMutablePointer<Float>) {
    var i = 0
    while i + 16 <= count {
        UnsafeMutableRawPointer(out + i).storeBytes(of: loadHalves16(p + i), as: SIMD16<Float>.self)
        i += 16
    }
    while i < count { out[i] = halfToFloat(p[i]); i += 1 }
}

@inline(__always) func loadHalf(_ p: UnsafeRawPointer, _ offset: Int = 0) -> Float {
    halfToFloat(p.loadUnaligned(fromByteOffset: offset, as: UInt16.self))
}

@inline(__always) func loadBFloat(_ p: UnsafeRawPointer, _ offset: Int = 0) -> Float {
    Float(bitPattern: UInt32(p.loadUnaligned(fromByteOffset: offset, as: UInt16.self)) << 16)
}

/// Rounds to the nearest fp16 value (ties to even), as llama.cpp does when it stores a scale, a
/// cache entry or an f16 operand. Values in fp16's normal range are rounded with bit arithmetic.
@inline(__always) func roundToHalf(_ x: Float) -> Float {
    let u = x.bitPattern
    let exponent = (u >> 23) & 0xFF
    if exponent >= 113 && exponent <= 141 {  // 2^-14 ≤ |x| < 2^15: a normal fp16 after rounding
        let rounded = (u &+ 0xFFF &+ ((u >> 13) & 1)) & ~UInt32(0x1FFF)
        return Float(bitPattern: rounded)
    }
    return Float(Float16(x))
}

/// Rounds to bf16 (nearest, ties to even), as ggml's fp32→bf16 conversion.
@inline(__always) func roundToBFloat(_ x: Float) -> Float {
    let u = x.bitPattern
    if x.isNaN { return x }
    let rounded = (u &+ (0x7FFF &+ ((u >> 16) & 1))) & 0xFFFF_0000
    return Float(bitPattern: rounded)
}

/// The fp16 bit pattern nearest to `x` (ties to even); bit arithmetic for fp16's normal range.
@inline(__always) func halfBits(_ x: Float) -> UInt16 {
    let u = x.bitPattern
    let exponent = (u >> 23) & 0xFF
    if exponent >= 113 && exponent <= 141 {
        let r = u &+ 0xFFF &+ ((u >> 13) & 1)
        let sign = (r >> 16) & 0x8000
        let e = ((r >> 23) & 0xFF) &- 112
        return UInt16(truncatingIfNeeded: sign | (e << 10) | ((r >> 13) & 0x3FF))
    }
    return Float16(x).bitPattern
}
