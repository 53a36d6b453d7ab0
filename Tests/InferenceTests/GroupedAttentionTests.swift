import Testing
@testable import Inference

/// Four query heads that share a key head are scored and mixed together in a decode step; each head must get
/// the bits it gets on its own, or a reply would change with the grouping.
@Suite struct GroupedAttentionTests {
    @Test(arguments: [256, 80, 37])
    func fourHeadsTogetherGiveEachHeadsOwnBits(dims: Int) {
        var rng = SplitMix(seed: UInt64(dims))
        let keys = 53, stride = dims + 16
        let q = (0..<(4 * dims)).map { _ in rng.float() }
        let k = (0..<(keys * stride)).map { _ in halfBits(rng.float()) }
        let v = (0..<(keys * stride)).map { _ in halfBits(rng.float()) }
        // Probabilities with zeros: for one head only, for all four, and at the ends.
        var p = (0..<(4 * keys)).map { _ in roundToHalf(abs(rng.float())) }
        for j in [0, 7, 8, keys - 1] { p[j] = 0 }
        for h in 0..<4 { p[h * keys + 20] = 0 }

        var together = [Float](repeating: .nan, count: 4 * keys)
        SingleQueryAttention.scores4(q, queryStride: dims, k, keys: keys, keyStride: stride, dims: dims, into: &together, scoreStride: keys)
        let alone = q.withUnsafeBufferPointer { q in
            eachHead(writing: keys) { h, out in
                SingleQueryAttention.scores(q.baseAddress! + h * dims, k, keys: keys, keyStride: stride, dims: dims, into: out)
            }
        }
        #expect(together.map(\.bitPattern) == alone.map(\.bitPattern))

        var mixed = [Float](repeating: .nan, count: 4 * dims)
        SingleQueryAttention.mix4(p, scoreStride: keys, v, keys: keys, valueStride: stride, dims: dims, into: &mixed, outStride: dims)
        let mixedAlone = p.withUnsafeBufferPointer { p in
            eachHead(writing: dims) { h, out in
                SingleQueryAttention.mix(p.baseAddress! + h * keys, v, keys: keys, valueStride: stride, dims: dims, into: out)
            }
        }
        #expect(mixed.map(\.bitPattern) == mixedAlone.map(\.bitPattern))
    }
}

/// Four heads' outputs of `count` values each, head h written by `body(h, its slice)` on its own.
private func eachHead(writing count: Int, _ body: (Int, UnsafeMutablePointer<Float>) -> Void) -> [Float] {
    var out = [Float](repeating: .nan, count: 4 * count)
    out.withUnsafeMutableBufferPointer { out in
        for h in 0..<4 { body(h, out.baseAddress! + h * count) }
    }
    return out
}

/// A small deterministic generator of floats in [-1, 1).
private struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func float() -> Float { Float(next() >> 40) / Float(1 << 23) - 1 }
}
