/// Attention of one query row over cached keys and values, for decode steps: with a single row,
/// sgemm's packing and dispatch cost more than the products themselves.
enum SingleQueryAttention {
    /// scores[j] = q · key j for j in 0..<keys, the key rows `keyStride` floats apart.
    static func scores(_ q: UnsafePointer<Float>, _ k: UnsafePointer<UInt16>, keys: Int, keyStride: Int, dims: Int,
                       into scores: UnsafeMutablePointer<Float>) {
        for j in 0..<keys { scores[j] = dot(q, k + j * keyStride, count: dims) }
    }

    /// out = Σ p[j] · value j over j in 0..<keys, the value rows `valueStride` floats apart.
    static func mix(_ p: UnsafePointer<Float>, _ v: UnsafePointer<UInt16>, keys: Int, valueStride: Int, dims: Int,
                    into out: UnsafeMutablePointer<Float>) {
        // 128 dimensions at a time stay in eight vector registers over all keys, instead of being loaded and
        // stored again for every key; each lane still adds its products key after key.
        var start = 0
        while start + 128 <= dims {
            var acc = (SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>(),
                       SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>())
            for j in 0..<keys where p[j] != 0 {
                let row = v + j * valueStride + start, weight = p[j]
                acc.0 = acc.0 + loadHalves16(row) * weight
                acc.1 = acc.1 + loadHalves16(row + 16) * weight
                acc.2 = acc.2 + loadHalves16(row + 32) * weight
                acc.3 = acc.3 + loadHalves16(row + 48) * weight
                acc.4 = acc.4 + loadHalves16(row + 64) * weight
                acc.5 = acc.5 + loadHalves16(row + 80) * weight
                acc.6 = acc.6 + loadHalves16(row + 96) * weight
                acc.7 = acc.7 + loadHalves16(row + 112) * weight
            }
            let o = UnsafeMutableRawPointer(out + start)
            o.storeBytes(of: acc.0, as: SIMD16<Float>.self)
            o.storeBytes(of: acc.1, toByteOffset: 64, as: SIMD16<Float>.self)
            o.storeBytes(of: acc.2, toByteOffset: 128, as: SIMD16<Float>.self)
            o.storeBytes(of: acc.3, toByteOffset: 192, as: SIMD16<Float>.self)
            o.storeBytes(of: acc.4, toByteOffset: 256, as: SIMD16<Float>.self)
            o.storeBytes(of: acc.5, toByteOffset: 320, as: SIMD16<Float>.self)
            o.storeBytes(of: acc.6, toByteOffset: 384, as: SIMD16<Float>.self)
            o.storeBytes(of: acc.7, toByteOffset: 448, as: SIMD16<Float>.self)
            start += 128
        }
        while start + 16 <= dims {
            var acc = SIMD16<Float>()
            for j in 0..<keys where p[j] != 0 { acc = acc + loadHalves16(v + j * valueStride + start) * p[j] }
            UnsafeMutableRawPointer(out + start).storeBytes(of: acc, as: SIMD16<Float>.self)
            start += 16
        }
        guard start < dims else { return }
        let rest = out + start
        rest.update(repeating: 0, count: dims - start)
        for j in 0..<keys where p[j] != 0 {
            let row = v + j * valueStride + start, weight = p[j]
            for i in 0..<(dims - start) { rest[i] += halfToFloat(row[i]) * weight }
        }
    }

    /// `scores` for four query heads `queryStride` floats apart that share their keys (grouped-query attention),
    /// head h's into `scores + h * scoreStride`: each key is converted from fp16 once for the four. Every head's
    /// sums run in the order `dot` runs them, so each score has the bits `scores` gives it.
    static func scores4(_ q: UnsafePointer<Float>, queryStride: Int, _ k: UnsafePointer<UInt16>, keys: Int, keyStride: Int, dims: Int,
                        into scores: UnsafeMutablePointer<Float>, scoreStride: Int) {
        let q0 = q, q1 = q + queryStride, q2 = q + 2 * queryStride, q3 = q + 3 * queryStride
        for j in 0..<keys {
            let key = k + j * keyStride
            var even0 = SIMD8<Float>(), odd0 = even0, even1 = even0, odd1 = even0
            var even2 = even0, odd2 = even0, even3 = even0, odd3 = even0
            var i = 0
            while i + 16 <= dims {
                let kv = loadHalves16(key + i)
                let p0 = load16(q0 + i) * kv, p1 = load16(q1 + i) * kv, p2 = load16(q2 + i) * kv, p3 = load16(q3 + i) * kv
                even0 += p0.lowHalf; odd0 += p0.highHalf
                even1 += p1.lowHalf; odd1 += p1.highHalf
                even2 += p2.lowHalf; odd2 += p2.highHalf
                even3 += p3.lowHalf; odd3 += p3.highHalf
                i += 16
            }
            var s0 = (even0 + odd0).sum(), s1 = (even1 + odd1).sum(), s2 = (even2 + odd2).sum(), s3 = (even3 + odd3).sum()
            while i < dims {
                let x = halfToFloat(key[i])
                s0 += q0[i] * x; s1 += q1[i] * x; s2 += q2[i] * x; s3 += q3[i] * x
                i += 1
            }
            scores[j] = s0; scores[scoreStride + j] = s1; scores[2 * scoreStride + j] = s2; scores[3 * scoreStride + j] = s3
        }
    }

    /// `mix` for four heads that share their values, head h's probabilities at `p + h * scoreStride` and its
    /// output at `out + h * outStride`: each value row is converted once for the four. A key is skipped only
    /// when all four give it no weight; adding `v × 0` to a sum that started at +0 leaves it as it is, so each
    /// lane still has the bits `mix` gives it.
    static func mix4(_ p: UnsafePointer<Float>, scoreStride: Int, _ v: UnsafePointer<UInt16>, keys: Int, valueStride: Int, dims: Int,
                     into out: UnsafeMutablePointer<Float>, outStride: Int) {
        let p0 = p, p1 = p + scoreStride, p2 = p + 2 * scoreStride, p3 = p + 3 * scoreStride
        var start = 0
        // 64 dimensions of four heads: sixteen accumulators in registers over all keys.
        while start + 64 <= dims {
            var a = (SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>())
            var b = a, c = a, d = a
            for j in 0..<keys where p0[j] != 0 || p1[j] != 0 || p2[j] != 0 || p3[j] != 0 {
                let row = v + j * valueStride + start
                let v0 = loadHalves16(row), v1 = loadHalves16(row + 16), v2 = loadHalves16(row + 32), v3 = loadHalves16(row + 48)
                let w0 = p0[j], w1 = p1[j], w2 = p2[j], w3 = p3[j]
                a.0 = a.0 + v0 * w0; a.1 = a.1 + v1 * w0; a.2 = a.2 + v2 * w0; a.3 = a.3 + v3 * w0
                b.0 = b.0 + v0 * w1; b.1 = b.1 + v1 * w1; b.2 = b.2 + v2 * w1; b.3 = b.3 + v3 * w1
                c.0 = c.0 + v0 * w2; c.1 = c.1 + v1 * w2; c.2 = c.2 + v2 * w2; c.3 = c.3 + v3 * w2
                d.0 = d.0 + v0 * w3; d.1 = d.1 + v1 * w3; d.2 = d.2 + v2 * w3; d.3 = d.3 + v3 * w3
            }
            for (h, acc) in [a, b, c, d].enumerated() {
                let o = UnsafeMutableRawPointer(out + h * outStride + start)
                o.storeBytes(of: acc.0, as: SIMD16<Float>.self)
                o.storeBytes(of: acc.1, toByteOffset: 64, as: SIMD16<Float>.self)
                o.storeBytes(of: acc.2, toByteOffset: 128, as: SIMD16<Float>.self)
                o.storeBytes(of: acc.3, toByteOffset: 192, as: SIMD16<Float>.self)
            }
            start += 64
        }
        guard start < dims else { return }
        for h in 0..<4 {
            mix(p + h * scoreStride, v + start, keys: keys, valueStride: valueStride, dims: dims - start, into: out + h * outStride + start)
        }
    }

    @inline(__always) private static func load16(_ p: UnsafePointer<Float>) -> SIMD16<Float> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD16<Float>.self)
    }

    @inline(__always) private static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<UInt16>, count n: Int) -> Float {
        // Eight lanes in two accumulators (the first and second eight of every sixteen values), summed at the
        // end. Summing in sixteen lanes instead moved the scores by rounding only, yet with OpenBLAS's SkylakeX
        // kernels it parted one greedy continuation from llama.cpp's at a step where llama.cpp's own margin is
        // 0.6 (`ParityDefaultModelTests`); this order keeps the parity fixtures' continuations.
        var even = SIMD8<Float>(), odd = SIMD8<Float>()
        var i = 0
        while i + 16 <= n {
            let p = load16(a + i) * loadHalves16(b + i)
            even += p.lowHalf
            odd += p.highHalf
            i += 16
        }
        var s = (even + odd).sum()
        while i < n { s += a[i] * halfToFloat(b[i]); i += 1 }
        return s
    }
}
