/// Attention of one query row over cached keys and values, for decode steps: with a single row,
/// sgemm's packing and dispatch cost more than the products themselves.
enum SingleQueryAttention {
    /// scores[j] = q · key j for j in 0..<keys, the key rows `keyStride` floats apart.
    static func scores(_ q: UnsafePointer<Float>, _ k: UnsafePointer<Float>, keys: Int, keyStride: Int, dims: Int,
                       into scores: UnsafeMutablePointer<Float>) {
        for j in 0..<keys { scores[j] = dot(q, k + j * keyStride, count: dims) }
    }

    /// out = Σ p[j] · value j over j in 0..<keys, the value rows `valueStride` floats apart.
    static func mix(_ p: UnsafePointer<Float>, _ v: UnsafePointer<Float>, keys: Int, valueStride: Int, dims: Int,
                    into out: UnsafeMutablePointer<Float>) {
        out.update(repeating: 0, count: dims)
        let wide = dims / 16 * 16
        for j in 0..<keys where p[j] != 0 {
            let row = v + j * valueStride, weight = p[j]
            var i = 0
            while i < wide {
                let sum = load16(out + i) + load16(row + i) * weight
                UnsafeMutableRawPointer(out + i).storeBytes(of: sum, as: SIMD16<Float>.self)
                i += 16
            }
            while i < dims { out[i] += row[i] * weight; i += 1 }
        }
    }

    @inline(__always) private static func load16(_ p: UnsafePointer<Float>) -> SIMD16<Float> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD16<Float>.self)
    }

    @inline(__always) private static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count n: Int) -> Float {
        // two accumulators, so consecutive adds do not wait for each other
        var even = SIMD16<Float>(), odd = SIMD16<Float>()
        var i = 0
        while i + 32 <= n {
            even += load16(a + i) * load16(b + i)
            odd += load16(a + i + 16) * load16(b + i + 16)
            i += 32
        }
        if i + 16 <= n { even += load16(a + i) * load16(b + i); i += 16 }
        var s = (even + odd).sum()
        while i < n { s += a[i] * b[i]; i += 1 }
        return s
    }
}
