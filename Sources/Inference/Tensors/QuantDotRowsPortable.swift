#if !(OASST_CPU_CASCADELAKE || OASST_CPU_X86_64_V3)
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
    /// apart, and block b's scales of the four rows are at `scales + b * scaleStride`.
    @inline(__always)
    static func q8_0Rows4(_ w: UnsafeRawPointer, _ a: UnsafePointer<Int16>, _ scales: UnsafePointer<Float>, scaleStride: Int,
                          blocks: Int, stride: Int, into out: UnsafeMutablePointer<Float>, outStride: Int) {
        var total = SIMD4<Float>()
        var wp = w
        let ht = Half.table
        for b in 0..<blocks {
            let raw = wp.loadUnaligned(fromByteOffset: 2, as: SIMD16<Int16>.self)
            let even = (raw &<< 8) &>> 8, odd = raw &>> 8
            let d = ht[Int(wp.loadUnaligned(as: UInt16.self))]
            @inline(__always) func row(_ k: Int) {
                let ap = UnsafeRawPointer(a + k * stride + b * 32)
                // |w·a| ≤ 128·127, so an even and an odd product still fit in 16 bits together
                let t = even &* ap.loadUnaligned(fromByteOffset: 0, as: SIMD16<Int16>.self) &+ odd &* ap.loadUnaligned(fromByteOffset: 32, as: SIMD16<Int16>.self)
                total[k] += Float(pairSums(t).wrappedSum()) * (d * scales[b * scaleStride + k])
            }
            row(0); row(1); row(2); row(3)
            wp += 34
        }
        for k in 0..<4 { out[k * outStride] = total[k] }
    }

    /// As `q8_0Rows4`, for Q5_0 weights.
    @inline(__always)
    static func q5_0Rows4(_ w: UnsafeRawPointer, _ a: UnsafePointer<Int16>, _ scales: UnsafePointer<Float>, scaleStride: Int,
                          blocks: Int, stride: Int, into out: UnsafeMutablePointer<Float>, outStride: Int) {
        var total = SIMD4<Float>()
        var wp = w
        let ht = Half.table
        for b in 0..<blocks {
            let (q0, q1, q2, q3) = q5_0Values(wp)
            let d = ht[Int(wp.loadUnaligned(as: UInt16.self))]
            @inline(__always) func row(_ k: Int) {
                let ap = UnsafeRawPointer(a + k * stride + b * 32)
                // |q·a| ≤ 16·127, so four products still fit in 16 bits together
                let t = q0 &* ap.loadUnaligned(fromByteOffset: 0, as: SIMD8<Int16>.self) &+ q1 &* ap.loadUnaligned(fromByteOffset: 16, as: SIMD8<Int16>.self) &+ q2 &* ap.loadUnaligned(fromByteOffset: 32, as: SIMD8<Int16>.self) &+ q3 &* ap.loadUnaligned(fromByteOffset: 48, as: SIMD8<Int16>.self)
                total[k] += Float(pairSums(t).wrappedSum()) * (d * scales[b * scaleStride + k])
            }
            row(0); row(1); row(2); row(3)
            wp += 22
        }
        for k in 0..<4 { out[k * outStride] = total[k] }
    }

    /// Row `b` of `act` · weight row `w` of a Q8_0, Q5_0 or Q4_0 matrix.
    static func blocks32Dot(_ type: GGMLType, _ w: UnsafeRawPointer, _ act: QuantizedActivations, row b: Int) -> Float {
        let blocks = act.columns / 32, a = act.values + b * act.columns, ad = act.scales + b * blocks
        switch type {
        case .q8_0: return q8_0(w, a, ad, blocks: blocks)
        case .q5_0: return q5_0(w, a, ad, blocks: blocks)
        default: return q4_0(w, a, ad, blocks: blocks)
        }
    }

    /// out[b * outStride + r] = weight row r · activation row b, for rows `range` of a Q8_0, Q5_0 or Q4_0
    /// matrix at `w` and every activation row: Q8_0 and Q5_0 four activation rows per weight row read.
    static func blocks32Product(_ type: GGMLType, _ w: UnsafeRawPointer, rowBytes: Int, _ act: QuantizedActivations,
                                rows range: Range<Int>, into out: UnsafeMutablePointer<Float>, outStride: Int) {
        let n = act.columns, blocks = n / 32, batch = act.rows
        let grouped = type == .q4_0 ? 0 : batch / 4 * 4
        for r in range {
            let wr = w + r * rowBytes
            var b = 0
            while b < grouped {
                let a = act.values + b * n, scales = act.blockScales + b, o = out + b * outStride + r
                if type == .q8_0 {
                    q8_0Rows4(wr, a, scales, scaleStride: act.blockScaleStride, blocks: blocks, stride: n, into: o, outStride: outStride)
                } else {
                    q5_0Rows4(wr, a, scales, scaleStride: act.blockScaleStride, blocks: blocks, stride: n, into: o, outStride: outStride)
                }
                b += 4
            }
            while b < batch {
                let a = act.values + b * n, ad = act.scales + b * blocks
                switch type {
                case .q8_0: out[b * outStride + r] = q8_0(wr, a, ad, blocks: blocks)
                case .q5_0: out[b * outStride + r] = q5_0(wr, a, ad, blocks: blocks)
                default: out[b * outStride + r] = q4_0(wr, a, ad, blocks: blocks)
                }
                b += 1
            }
        }
    }

    /// out[k * outStride] = row · activation row k, for k in 0..<4, for Q4_K weights (Q8_K activations
    /// with their 16-value sums); activation rows are `stride` values apart.
    @inline(__always)
    static func q4_KRows4(_ w: UnsafeRawPointer, _ a: UnsafePointer<Int16>, _ ad: UnsafePointer<Float>, _ bsums: UnsafePointer<Int16>,
                          blocks: Int, stride: Int, into out: UnsafeMutablePointer<Float>, outStride: Int) {
        var total = SIMD4<Float>()
        var wp = w
        let mask = SIMD16<Int16>(repeating: 0xF)
        let scaleStride = stride / 256, sumStride = stride / 16
        for b in 0..<blocks {
            var isum = (SIMD8<Int32>(), SIMD8<Int32>(), SIMD8<Int32>(), SIMD8<Int32>())
            var minSum = SIMD4<Int32>()
            let sc = wp + 4
            for c in 0..<4 {
                let raw = wp.loadUnaligned(fromByteOffset: 16 + 32 * c, as: SIMD16<Int16>.self)
                let (s0, m0) = scaleMin(2 * c, sc)
                let (s1, m1) = scaleMin(2 * c + 1, sc)
                let e0 = raw & mask, o0 = (raw &>> 8) & mask, e1 = (raw &>> 4) & mask, o1 = (raw &>> 12) & mask
                @inline(__always) func row(_ k: Int, _ acc: inout SIMD8<Int32>) {
                    let ap = UnsafeRawPointer(a + k * stride + b * 256)
                    // |q·a| ≤ 15·128, so two products still fit in 16 bits together
                    let lo = pairSums(e0 &* ap.loadUnaligned(fromByteOffset: 128 * c, as: SIMD16<Int16>.self) &+ o0 &* ap.loadUnaligned(fromByteOffset: 128 * c + 32, as: SIMD16<Int16>.self))
                    let hi = pairSums(e1 &* ap.loadUnaligned(fromByteOffset: 128 * c + 64, as: SIMD16<Int16>.self) &+ o1 &* ap.loadUnaligned(fromByteOffset: 128 * c + 96, as: SIMD16<Int16>.self))
                    acc &+= lo &* s0 &+ hi &* s1
                    let bs = bsums + k * sumStride + b * 16 + 4 * c
                    minSum[k] &+= m0 * (Int32(bs[0]) + Int32(bs[1])) + m1 * (Int32(bs[2]) + Int32(bs[3]))
                }
                row(0, &isum.0); row(1, &isum.1); row(2, &isum.2); row(3, &isum.3)
            }
            let d = loadHalf(wp), dmin = loadHalf(wp, 2)
            @inline(__always) func finish(_ k: Int, _ acc: SIMD8<Int32>) {
                let da = ad[k * scaleStride + b]
                total[k] += d * da * Float(acc.wrappedSum()) - dmin * da * Float(minSum[k])
            }
            finish(0, isum.0); finish(1, isum.1); finish(2, isum.2); finish(3, isum.3)
            wp += 144
        }
        for k in 0..<4 { out[k * outStride] = total[k] }
    }

    /// As `q8_0Rows4`, for Q6_K weights.
    @inline(__always)
    static func q6_KRows4(_ w: UnsafeRawPointer, _ a: UnsafePointer<Int16>, _ ad: UnsafePointer<Float>, _ bsums: UnsafePointer<Int16>,
                          blocks: Int, stride: Int, into out: UnsafeMutablePointer<Float>, outStride: Int) {
        var total = SIMD4<Float>()
        var wp = w
        let mask = SIMD16<Int16>(repeating: 0xF), three = SIMD16<Int16>(repeating: 3), bias = SIMD16<Int16>(repeating: 32)
        let scaleStride = stride / 256
        for b in 0..<blocks {
            var isum = (SIMD8<Int32>(), SIMD8<Int32>(), SIMD8<Int32>(), SIMD8<Int32>())
            for h in 0..<2 {
                let qa = wp.loadUnaligned(fromByteOffset: 64 * h, as: SIMD16<Int16>.self), qb = wp.loadUnaligned(fromByteOffset: 64 * h + 32, as: SIMD16<Int16>.self)
                let qh = wp.loadUnaligned(fromByteOffset: 128 + 32 * h, as: SIMD16<Int16>.self)
                let sc = wp + 192 + 8 * h
                @inline(__always) func scales(_ i: Int) -> SIMD8<Int32> {
                    let s0 = Int32(sc.load(fromByteOffset: i, as: Int8.self))
                    let s1 = Int32(sc.load(fromByteOffset: i + 1, as: Int8.self))
                    return SIMD8<Int32>(s0, s0, s0, s0, s1, s1, s1, s1)
                }
                let base = 256 * h
                let g0e = ((qa & mask) | ((qh & three) &<< 4)) &- bias
                let g0o = (((qa &>> 8) & mask) | (((qh &>> 8) & three) &<< 4)) &- bias
                let g1e = ((qb & mask) | (((qh &>> 2) & three) &<< 4)) &- bias
                let g1o = (((qb &>> 8) & mask) | (((qh &>> 10) & three) &<< 4)) &- bias
                let g2e = (((qa &>> 4) & mask) | (((qh &>> 4) & three) &<< 4)) &- bias
                let g2o = (((qa &>> 12) & mask) | (((qh &>> 12) & three) &<< 4)) &- bias
                let g3e = (((qb &>> 4) & mask) | (((qh &>> 6) & three) &<< 4)) &- bias
                let g3o = (((qb &>> 12) & mask) | (((qh &>> 14) & three) &<< 4)) &- bias
                let s0 = scales(0), s2 = scales(2), s4 = scales(4), s6 = scales(6)
                @inline(__always) func row(_ k: Int, _ acc: inout SIMD8<Int32>) {
                    let ap = UnsafeRawPointer(a + k * stride + b * 256)
                    // |q·a| ≤ 32·128, so two products still fit in 16 bits together
                    acc &+= pairSums(g0e &* ap.loadUnaligned(fromByteOffset: base, as: SIMD16<Int16>.self) &+ g0o &* ap.loadUnaligned(fromByteOffset: base + 32, as: SIMD16<Int16>.self)) &* s0
                    acc &+= pairSums(g1e &* ap.loadUnaligned(fromByteOffset: base + 64, as: SIMD16<Int16>.self) &+ g1o &* ap.loadUnaligned(fromByteOffset: base + 96, as: SIMD16<Int16>.self)) &* s2
                    acc &+= pairSums(g2e &* ap.loadUnaligned(fromByteOffset: base + 128, as: SIMD16<Int16>.self) &+ g2o &* ap.loadUnaligned(fromByteOffset: base + 160, as: SIMD16<Int16>.self)) &* s4
                    acc &+= pairSums(g3e &* ap.loadUnaligned(fromByteOffset: base + 192, as: SIMD16<Int16>.self) &+ g3o &* ap.loadUnaligned(fromByteOffset: base + 224, as: SIMD16<Int16>.self)) &* s6
                }
                row(0, &isum.0); row(1, &isum.1); row(2, &isum.2); row(3, &isum.3)
            }
            let d = loadHalf(wp, 208)
            total[0] += d * ad[b] * Float(isum.0.wrappedSum())
            total[1] += d * ad[scaleStride + b] * Float(isum.1.wrappedSum())
            total[2] += d * ad[2 * scaleStride + b] * Float(isum.2.wrappedSum())
            total[3] += d * ad[3 * scaleStride + b] * Float(isum.3.wrappedSum())
            wp += 210
        }
        for k in 0..<4 { out[k * outStride] = total[k] }
    }
}
#endif
