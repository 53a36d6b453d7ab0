/// Dot products of one quantized weight row with one row of quantized activations, computed in
/// integers per block and scaled in floats, as llama.cpp's `ggml_vec_dot_*` do. Block layouts follow
/// ggml-common.h. The integer kernels come in two builds: `QuantDotAVX2.swift` for a target compiled
/// with AVX2 (8-bit activations, byte products summed by vpmaddubsw or VNNI's vpdpbusd), and
/// `QuantDotPortable.swift` for baseline x86-64 and other architectures (Swift SIMD on 16-bit lanes).
enum QuantDot {
    // MARK: K-quant scales: 12 bytes hold eight 6-bit scales and eight 6-bit mins

    @inline(__always)
    static func scaleMin(_ j: Int, _ q: UnsafeRawPointer) -> (Int32, Int32) {
        @inline(__always) func b(_ i: Int) -> Int32 { Int32(q.load(fromByteOffset: i, as: UInt8.self)) }
        if j < 4 { return (b(j) & 63, b(j + 4) & 63) }
        return ((b(j + 4) & 0xF) | ((b(j - 4) >> 6) << 4), (b(j + 4) >> 4) | ((b(j) >> 6) << 4))
    }

    // MARK: float weights

    @inline(__always)
    static func f32(_ w: UnsafeRawPointer, _ x: UnsafePointer<Float>, count: Int) -> Float {
        var acc = SIMD8<Float>()
        var i = 0
        while i + 8 <= count {
            acc += w.loadUnaligned(fromByteOffset: 4 * i, as: SIMD8<Float>.self) * UnsafeRawPointer(x + i).loadUnaligned(as: SIMD8<Float>.self)
            i += 8
        }
        var s = acc.sum()
        while i < count { s += w.loadUnaligned(fromByteOffset: 4 * i, as: Float.self) * x[i]; i += 1 }
        return s
    }

    static func f16(_ w: UnsafeRawPointer, _ x: UnsafePointer<Float>, count: Int) -> Float {
        var s: Float = 0
        for i in 0..<count { s += loadHalf(w, 2 * i) * x[i] }
        return s
    }

    static func bf16(_ w: UnsafeRawPointer, _ x: UnsafePointer<Float>, count: Int) -> Float {
        var s: Float = 0
        for i in 0..<count { s += loadBFloat(w, 2 * i) * x[i] }
        return s
    }
}
