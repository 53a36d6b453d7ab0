/// Half-precision helpers: GGUF stores block scales as IEEE fp16 and some tensors as fp16 or bf16.
@inline(__always) func loadHalf(_ p: UnsafeRawPointer, _ offset: Int = 0) -> Float {
    Float(Float16(bitPattern: p.loadUnaligned(fromByteOffset: offset, as: UInt16.self)))
}

@inline(__always) func loadBFloat(_ p: UnsafeRawPointer, _ offset: Int = 0) -> Float {
    Float(bitPattern: UInt32(p.loadUnaligned(fromByteOffset: offset, as: UInt16.self)) << 16)
}

/// Rounds to the nearest fp16 value, as llama.cpp does when it stores a scale or an f16 activation.
@inline(__always) func roundToHalf(_ x: Float) -> Float { Float(Float16(x)) }

/// Rounds to bf16 (nearest, ties to even), as ggml's fp32→bf16 conversion.
@inline(__always) func roundToBFloat(_ x: Float) -> Float {
    let u = x.bitPattern
    if x.isNaN { return x }
    let rounded = (u &+ (0x7FFF &+ ((u >> 16) & 1))) & 0xFFFF_0000
    return Float(bitPattern: rounded)
}
