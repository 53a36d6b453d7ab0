/// Expands quantized rows to floats (natural order). Used for embedding lookups and for the prompt
/// path, where a block of weight rows is expanded once and multiplied with many tokens by sgemm.
enum Dequantize {
    static func row(_ type: GGMLType, _ src: UnsafeRawPointer, _ dst: UnsafeMutablePointer<Float>, count n: Int) {
        switch type {
        case .f32: dst.update(from: src.assumingMemoryBound(to: Float.self), count: n)
        case .f16: for i in 0..<n { dst[i] = loadHalf(src, 2 * i) }
        case .bf16: for i in 0..<n { dst[i] = loadBFloat(src, 2 * i) }
        case .q8_0:
            for b in 0..<(n / 32) {
                let p = src + 34 * b
                let d = loadHalf(p)
                for j in 0..<32 { dst[32 * b + j] = d * Float(p.load(fromByteOffset: 2 + j, as: Int8.self)) }
            }
        case .q4_0:
            for b in 0..<(n / 32) {
                let p = src + 18 * b
                let d = loadHalf(p)
                for j in 0..<16 {
                    let q = p.load(fromByteOffset: 2 + j, as: UInt8.self)
                    dst[32 * b + j] = d * Float(Int(q & 0xF) - 8)
                    dst[32 * b + j + 16] = d * Float(Int(q >> 4) - 8)
                }
            }
        case .q5_0:
            for b in 0..<(n / 32) {
                let p = src + 22 * b
                let d = loadHalf(p)
                let qh = p.loadUnaligned(fromByteOffset: 2, as: UInt32.self)
                for j in 0..<16 {
                    let q = p.load(fromByteOffset: 6 + j, as: UInt8.self)
                    let h0 = Int((qh >> UInt32(j)) & 1) << 4, h1 = Int((qh >> UInt32(j + 16)) & 1) << 4
                    dst[32 * b + j] = d * Float((Int(q & 0xF) | h0) - 16)
                    dst[32 * b + j + 16] = d * Float((Int(q >> 4) | h1) - 16)
                }
            }
        case .q4_K, .q5_K:
            let size = type == .q4_K ? 144 : 176
            let qsOffset = type == .q4_K ? 16 : 48
            for b in 0..<(n / 256) {
                let p = src + size * b
                let d = loadHalf(p), dmin = loadHalf(p, 2)
                var out = dst + 256 * b
                for c in 0..<4 {
                    let (s0, m0) = QuantDot.scaleMin(2 * c, p + 4)
                    let (s1, m1) = QuantDot.scaleMin(2 * c + 1, p + 4)
                    let d0 = d * Float(s0), mm0 = dmin * Float(m0), d1 = d * Float(s1), mm1 = dmin * Float(m1)
                    for l in 0..<32 {
                        let q = p.load(fromByteOffset: qsOffset + 32 * c + l, as: UInt8.self)
                        var lo = Int(q & 0xF), hi = Int(q >> 4)
                        if type == .q5_K {
                            let h = p.load(fromByteOffset: 16 + l, as: UInt8.self)
                            lo += Int((h >> UInt8(2 * c)) & 1) << 4
                            hi += Int((h >> UInt8(2 * c + 1)) & 1) << 4
                        }
                        out[l] = d0 * Float(lo) - mm0
                        out[l + 32] = d1 * Float(hi) - mm1
                    }
                    out += 64
                }
            }
        case .q6_K:
            for b in 0..<(n / 256) {
                let p = src + 210 * b
                let d = loadHalf(p, 208)
                for h in 0..<2 {
                    let ql = p + 64 * h, qh = p + 128 + 32 * h, sc = p + 192 + 8 * h
                    let out = dst + 256 * b + 128 * h
                    for l in 0..<32 {
                        let si = l / 16
                        let a = Int(ql.load(fromByteOffset: l, as: UInt8.self))
                        let c = Int(ql.load(fromByteOffset: l + 32, as: UInt8.self))
                        let hb = Int(qh.load(fromByteOffset: l, as: UInt8.self))
                        let q1 = ((a & 0xF) | ((hb & 3) << 4)) - 32
                        let q2 = ((c & 0xF) | (((hb >> 2) & 3) << 4)) - 32
                        let q3 = ((a >> 4) | (((hb >> 4) & 3) << 4)) - 32
                        let q4 = ((c >> 4) | (((hb >> 6) & 3) << 4)) - 32
                        func s(_ i: Int) -> Float { Float(sc.load(fromByteOffset: i, as: Int8.self)) }
                        out[l] = d * s(si) * Float(q1)
                        out[l + 32] = d * s(si + 2) * Float(q2)
                        out[l + 64] = d * s(si + 4) * Float(q3)
                        out[l + 96] = d * s(si + 6) * Float(q4)
                    }
                }
            }
        }
    }
}
