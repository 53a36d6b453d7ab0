/// Weight rows against four activation rows at once: the batch of decode steps of concurrent sequences.
/// Each weight block is loaded and unpacked once and used for all four rows, which is most of what a
/// single-row dot product spends on the weights. The integer sums and the float operations are the same,
/// in the same order, as the single-row kernels', so a sequence's logits do not depend on whom it is
/// batched with.
extension QuantDot {
    /// Sums of adjacent Int16 lanes, widened to Int32.
    @inline(__always) static func pairSums(_ v: SIMD16<Int16>) -> SIMD8<Int32> {
        let p = unsafeBitCast(v, to: SIMD8<Int32>.self)
        return ((p &<< 16) &>> 16) &+ (p &>> 16)
    }

    @inline(__always) static func pairSums(_ v: SIMD8<Int16>) -> SIMD4<Int32> {
        let p = unsafeBitCast(v, to: SIMD4<Int32>.self)
        return ((p &<< 16) &>> 16) &+ (p &>> 16)
    }

    /// out[k * outStride] = row · activation row k, for k in 0..<4; activation rows are `stride` values
    /// apart and their scales `scaleStride` apart.
    @inline(__always)
    static func q8_0Rows4(_ w: UnsafeRawPointer, _ a: UnsafePointer<Int16>, _ ad: UnsafePointer<Float>, blocks: Int,
                          stride: Int, scaleStride: Int, into out: UnsafeMutablePointer<Float>, outStride: Int) {
        var acc0 = SIMD8<Float>(), acc1 = SIMD8<Float>(), acc2 = SIMD8<Float>(), acc3 = SIMD8<Float>()
        var wp = w
        let ht = Half.table
        for b in 0..<blocks {
            let raw = load16(wp, 2)
            let even = (raw &<< 8) &>> 8, odd = raw &>> 8
            let d = ht[Int(wp.loadUnaligned(as: UInt16.self))]
            @inline(__always) func row(_ k: Int, _ acc: inout SIMD8<Float>) {
                let ap = UnsafeRawPointer(a + k * stride + b * 32)
                // |w·a| ≤ 128·127, so an even and an odd product still fit in 16 bits together
                let t = even &* load16(ap, 0) &+ odd &* load16(ap, 32)
                acc += SIMD8<Float>(pairSums(t)) * (d * ad[k * scaleStride + b])
            }
            row(0, &acc0); row(1, &acc1); row(2, &acc2); row(3, &acc3)
            wp += 34
        }
        out[0] = acc0.sum()
        out[outStride] = acc1.sum()
        out[2 * outStride] = acc2.sum()
        out[3 * outStride] = acc3.sum()
    }

    /// As `q8_0Rows4`, for Q5_0 weights.
    @inline(__always)
    static func q5_0Rows4(_ w: UnsafeRawPointer, _ a: UnsafePointer<Int16>, _ ad: UnsafePointer<Float>, blocks: Int,
                          stride: Int, scaleStride: Int, into out: UnsafeMutablePointer<Float>, outStride: Int) {
        var acc0 = SIMD4<Float>(), acc1 = SIMD4<Float>(), acc2 = SIMD4<Float>(), acc3 = SIMD4<Float>()
        var wp = w
        let ht = Half.table
        for b in 0..<blocks {
            let (q0, q1, q2, q3) = q5_0Values(wp)
            let d = ht[Int(wp.loadUnaligned(as: UInt16.self))]
            @inline(__always) func row(_ k: Int, _ acc: inout SIMD4<Float>) {
                let ap = UnsafeRawPointer(a + k * stride + b * 32)
                // |q·a| ≤ 16·127, so four products still fit in 16 bits together
                let t = q0 &* load8(ap, 0) &+ q1 &* load8(ap, 16) &+ q2 &* load8(ap, 32) &+ q3 &* load8(ap, 48)
                acc += SIMD4<Float>(pairSums(t)) * (d * ad[k * scaleStride + b])
            }
            row(0, &acc0); row(1, &acc1); row(2, &acc2); row(3, &acc3)
            wp += 22
        }
        out[0] = acc0.sum()
        out[outStride] = acc1.sum()
        out[2 * outStride] = acc2.sum()
        out[3 * outStride] = acc3.sum()
    }
}
