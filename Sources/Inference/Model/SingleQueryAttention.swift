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
        let wide = dims / 8 * 8
        for j in 0..<keys where p[j] != 0 {
            let row = v + j * valueStride, weight = p[j]
            var i = 0
            while i < wide {
                let sum = load8(out + i) + load8(row + i) * weight
                UnsafeMutableRawPointer(out + i).storeBytes(of: sum, as: SIMD8<Float>.self)
                i += 8
            }
            while i < dims { out[i] += row[i] * weight; i += 1 }
        }
    }

    @inline(__always) private static func load8(_ p: UnsafePointer<Float>) -> SIMD8<Float> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
    }

    @inline(__always) private static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count n: Int) -> Float {
        // two accumulators, so consecutive adds do not wait for each other
        var even = SIMD8<Float>(), odd = SIMD8<Float>()
        var i = 0
        while i + 16 <= n {
            even += load8(a + i) * load8(b + i)
            odd += load8(a + i + 8) * load8(b + i + 8)
            i += 16
        }
        if i + 8 <= n { even += load8(a + i) * load8(b + i); i += 8 }
        var s = (even + odd).sum()
        while i < n { s += a[i] * b[i]; i += 1 }
        return s
    }
}
