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
