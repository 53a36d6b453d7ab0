#if !(OASST_CPU_CASCADELAKE || OASST_CPU_X86_64_V3)
/// The integer kernels written with Swift's SIMD types, for builds without AVX2. Weight bytes are read
/// as 16-bit lanes: `(v << 8) >> 8` gives the even bytes and `v >> 8` the odd ones, which is why
/// `QuantizedActivations` stores evens before odds in this build.
extension QuantDot {
    /// Products of 16-bit lanes, summed in adjacent pairs into 32-bit lanes.
    @inline(__always) static func madd(_ w: SIMD16<Int16>, _ a: SIMD16<Int16>) -> SIMD8<Int32> {
        let p = unsafeBitCast(w &* a, to: SIMD8<Int32>.self)
        return ((p &<< 16) &>> 16) &+ (p &>> 16)
    }

    @inline(__always) static func madd(_ w: SIMD8<Int16>, _ a: SIMD8<Int16>) -> SIMD4<Int32> {
        let p = unsafeBitCast(w &* a, to: SIMD4<Int32>.self)
        return ((p &<< 16) &>> 16) &+ (p &>> 16)
    }

    // MARK: Q8_0 — block of 34 bytes: fp16 d, 32 × int8

    @inline(__always)
    static func q8_0(_ w: UnsafeRawPointer, _ a: UnsafePointer<Int16>, _ ad: UnsafePointer<Float>, blocks: Int) -> Float {
        var total: Float = 0
        var wp = w
        var ap = UnsafeRawPointer(a)
        let ht = Half.table
        for b in 0..<blocks {
            let raw = wp.loadUnaligned(fromByteOffset: 2, as: SIMD16<Int16>.self)
            let even = (raw &<< 8) &>> 8, odd = raw &>> 8
            let s = madd(even, ap.loadUnaligned(fromByteOffset: 0, as: SIMD16<Int16>.self)) &+ madd(odd, ap.loadUnaligned(fromByteOffset: 32, as: SIMD16<Int16>.self))
            total += Float(s.wrappedSum()) * (ht[Int(wp.loadUnaligned(as: UInt16.self))] * ad[b])
            wp += 34
            ap += 64
        }
        return total
    }

    // MARK: Q4_0 — 18 bytes: fp16 d, 16 bytes of nibbles (low: values 0–15, high: 16–31), value = q − 8

    @inline(__always)
    static func q4_0(_ w: UnsafeRawPointer, _ a: UnsafePointer<Int16>, _ ad: UnsafePointer<Float>, blocks: Int) -> Float {
        var total: Float = 0
        var wp = w
        var ap = UnsafeRawPointer(a)
        let ht = Half.table
        let mask = SIMD8<Int16>(repeating: 0xF), eight = SIMD8<Int16>(repeating: 8)
        for b in 0..<blocks {
            let raw = wp.loadUnaligned(fromByteOffset: 2, as: SIMD8<Int16>.self)
            let q0 = (raw & mask) &- eight
            let q1 = ((raw &>> 8) & mask) &- eight
            let q2 = ((raw &>> 4) & mask) &- eight
            let q3 = ((raw &>> 12) & mask) &- eight
            let s = madd(q0, ap.loadUnaligned(fromByteOffset: 0, as: SIMD8<Int16>.self)) &+ madd(q1, ap.loadUnaligned(fromByteOffset: 16, as: SIMD8<Int16>.self)) &+ madd(q2, ap.loadUnaligned(fromByteOffset: 32, as: SIMD8<Int16>.self)) &+ madd(q3, ap.loadUnaligned(fromByteOffset: 48, as: SIMD8<Int16>.self))
            total += Float(s.wrappedSum()) * (ht[Int(wp.loadUnaligned(as: UInt16.self))] * ad[b])
            wp += 18
            ap += 64
        }
        return total
    }

    // MARK: Q5_0 — 22 bytes: fp16 d, u32 high bits (bit j → value j), 16 bytes of nibbles; value = q − 16

    /// Multipliers that move bit 2i (even) or 2i+1 (odd) of a 16-bit word to the sign bit of lane i:
    /// a per-lane left shift done with one multiply, since x86 has no per-lane 16-bit shift before AVX-512.
    static let evenToSign = SIMD8<Int16>(-32768, 8192, 2048, 512, 128, 32, 8, 2)
    static let oddToSign = SIMD8<Int16>(16384, 4096, 1024, 256, 64, 16, 4, 1)

    /// The 32 values of the Q5_0 block at `wp`, in the activations' order (see `QuantizedActivations`).
    @inline(__always)
    static func q5_0Values(_ wp: UnsafeRawPointer) -> (SIMD8<Int16>, SIMD8<Int16>, SIMD8<Int16>, SIMD8<Int16>) {
        let mask = SIMD8<Int16>(repeating: 0xF), sixteen = SIMD8<Int16>(repeating: 16)
        let es = evenToSign, os = oddToSign
        let qh = wp.loadUnaligned(fromByteOffset: 2, as: UInt32.self)
        let hLow = SIMD8<Int16>(repeating: Int16(truncatingIfNeeded: qh & 0xFFFF))
        let hHigh = SIMD8<Int16>(repeating: Int16(truncatingIfNeeded: qh >> 16))
        let raw = wp.loadUnaligned(fromByteOffset: 6, as: SIMD8<Int16>.self)
        // (bit → sign) >> 15 is 0 or −1; & 16 turns it into the fifth bit of the value
        let q0 = ((raw & mask) | (((hLow &* es) &>> 15) & sixteen)) &- sixteen
        let q1 = (((raw &>> 8) & mask) | (((hLow &* os) &>> 15) & sixteen)) &- sixteen
        let q2 = (((raw &>> 4) & mask) | (((hHigh &* es) &>> 15) & sixteen)) &- sixteen
        let q3 = (((raw &>> 12) & mask) | (((hHigh &* os) &>> 15) & sixteen)) &- sixteen
        return (q0, q1, q2, q3)
    }

    @inline(__always)
    static func q5_0(_ w: UnsafeRawPointer, _ a: UnsafePointer<Int16>, _ ad: UnsafePointer<Float>, blocks: Int) -> Float {
        var total: Float = 0
        var wp = w
        var ap = UnsafeRawPointer(a)
        let ht = Half.table
        for b in 0..<blocks {
            let (q0, q1, q2, q3) = q5_0Values(wp)
            let s = madd(q0, ap.loadUnaligned(fromByteOffset: 0, as: SIMD8<Int16>.self)) &+ madd(q1, ap.loadUnaligned(fromByteOffset: 16, as: SIMD8<Int16>.self)) &+ madd(q2, ap.loadUnaligned(fromByteOffset: 32, as: SIMD8<Int16>.self)) &+ madd(q3, ap.loadUnaligned(fromByteOffset: 48, as: SIMD8<Int16>.self))
            total += Float(s.wrappedSum()) * (ht[Int(wp.loadUnaligned(as: UInt16.self))] * ad[b])
            wp += 22
            ap += 64
        }
        return total
    }

    // MARK: Q4_K — 144 bytes: fp16 d, fp16 dmin, 12 bytes scales, 128 bytes nibbles (4 chunks of 64 values)

    @inline(__always)
    static func q4_K(_ w: UnsafeRawPointer, _ a: UnsafePointer<Int16>, _ ad: UnsafePointer<Float>,
                     _ bsums: UnsafePointer<Int16>, blocks: Int) -> Float {
        var total: Float = 0
        var wp = w
        var ap = UnsafeRawPointer(a)
        let mask = SIMD16<Int16>(repeating: 0xF)
        for b in 0..<blocks {
            var isum = SIMD8<Int32>()
            var minSum: Int32 = 0
            let sc = wp + 4
            for c in 0..<4 {
                let raw = wp.loadUnaligned(fromByteOffset: 16 + 32 * c, as: SIMD16<Int16>.self)
                let (s0, m0) = scaleMin(2 * c, sc)
                let (s1, m1) = scaleMin(2 * c + 1, sc)
                let lo = madd(raw & mask, ap.loadUnaligned(fromByteOffset: 128 * c, as: SIMD16<Int16>.self)) &+ madd((raw &>> 8) & mask, ap.loadUnaligned(fromByteOffset: 128 * c + 32, as: SIMD16<Int16>.self))
                let hi = madd((raw &>> 4) & mask, ap.loadUnaligned(fromByteOffset: 128 * c + 64, as: SIMD16<Int16>.self)) &+ madd((raw &>> 12) & mask, ap.loadUnaligned(fromByteOffset: 128 * c + 96, as: SIMD16<Int16>.self))
                isum &+= lo &* s0 &+ hi &* s1
                let bs = bsums + b * 16 + 4 * c
                minSum &+= m0 * (Int32(bs[0]) + Int32(bs[1])) + m1 * (Int32(bs[2]) + Int32(bs[3]))
            }
            let da = ad[b]
            total += loadHalf(wp) * da * Float(isum.wrappedSum()) - loadHalf(wp, 2) * da * Float(minSum)
            wp += 144
            ap += 512
        }
        return total
    }

    // MARK: Q5_K — 176 bytes: d, dmin, 12 bytes scales, 32 bytes high bits, 128 bytes nibbles

    @inline(__always)
    static func q5_K(_ w: UnsafeRawPointer, _ a: UnsafePointer<Int16>, _ ad: UnsafePointer<Float>,
                     _ bsums: UnsafePointer<Int16>, blocks: Int) -> Float {
        var total: Float = 0
        var wp = w
        var ap = UnsafeRawPointer(a)
        let mask = SIMD16<Int16>(repeating: 0xF), one = SIMD16<Int16>(repeating: 1)
        for b in 0..<blocks {
            var isum = SIMD8<Int32>()
            var minSum: Int32 = 0
            let sc = wp + 4
            let qh = wp.loadUnaligned(fromByteOffset: 16, as: SIMD16<Int16>.self)
            for c in 0..<4 {
                let raw = wp.loadUnaligned(fromByteOffset: 48 + 32 * c, as: SIMD16<Int16>.self)
                let (s0, m0) = scaleMin(2 * c, sc)
                let (s1, m1) = scaleMin(2 * c + 1, sc)
                let e0 = (raw & mask) | (((qh &>> Int16(2 * c)) & one) &<< 4)
                let o0 = ((raw &>> 8) & mask) | (((qh &>> Int16(8 + 2 * c)) & one) &<< 4)
                let e1 = ((raw &>> 4) & mask) | (((qh &>> Int16(2 * c + 1)) & one) &<< 4)
                let o1 = ((raw &>> 12) & mask) | (((qh &>> Int16(9 + 2 * c)) & one) &<< 4)
                let lo = madd(e0, ap.loadUnaligned(fromByteOffset: 128 * c, as: SIMD16<Int16>.self)) &+ madd(o0, ap.loadUnaligned(fromByteOffset: 128 * c + 32, as: SIMD16<Int16>.self))
                let hi = madd(e1, ap.loadUnaligned(fromByteOffset: 128 * c + 64, as: SIMD16<Int16>.self)) &+ madd(o1, ap.loadUnaligned(fromByteOffset: 128 * c + 96, as: SIMD16<Int16>.self))
                isum &+= lo &* s0 &+ hi &* s1
                let bs = bsums + b * 16 + 4 * c
                minSum &+= m0 * (Int32(bs[0]) + Int32(bs[1])) + m1 * (Int32(bs[2]) + Int32(bs[3]))
            }
            let da = ad[b]
            total += loadHalf(wp) * da * Float(isum.wrappedSum()) - loadHalf(wp, 2) * da * Float(minSum)
            wp += 176
            ap += 512
        }
        return total
    }

    // MARK: Q6_K — 210 bytes: 128 bytes low nibbles, 64 bytes high 2-bit pairs, 16 int8 scales, fp16 d

    @inline(__always)
    /// (`bsums` is unused: this kernel subtracts the +32 offset from every value instead.)
    static func q6_K(_ w: UnsafeRawPointer, _ a: UnsafePointer<Int16>, _ ad: UnsafePointer<Float>,
                     _ bsums: UnsafePointer<Int16>, blocks: Int) -> Float {
        var total: Float = 0
        var wp = w
        var ap = UnsafeRawPointer(a)
        let mask = SIMD16<Int16>(repeating: 0xF), three = SIMD16<Int16>(repeating: 3), bias = SIMD16<Int16>(repeating: 32)
        for b in 0..<blocks {
            var isum = SIMD8<Int32>()
            for h in 0..<2 {
                let qa = wp.loadUnaligned(fromByteOffset: 64 * h, as: SIMD16<Int16>.self), qb = wp.loadUnaligned(fromByteOffset: 64 * h + 32, as: SIMD16<Int16>.self)
                let qh = wp.loadUnaligned(fromByteOffset: 128 + 32 * h, as: SIMD16<Int16>.self)
                let sc = wp + 192 + 8 * h
                @inline(__always) func scales(_ i: Int) -> SIMD8<Int32> {
                    let s0 = Int32(sc.load(fromByteOffset: i, as: Int8.self))
                    let s1 = Int32(sc.load(fromByteOffset: i + 1, as: Int8.self))
                    return SIMD8<Int32>(s0, s0, s0, s0, s1, s1, s1, s1)
                }
                let base = 256 * h  // bytes: 128 values of Int16
                let g0e = ((qa & mask) | ((qh & three) &<< 4)) &- bias
                let g0o = (((qa &>> 8) & mask) | (((qh &>> 8) & three) &<< 4)) &- bias
                let g1e = ((qb & mask) | (((qh &>> 2) & three) &<< 4)) &- bias
                let g1o = (((qb &>> 8) & mask) | (((qh &>> 10) & three) &<< 4)) &- bias
                let g2e = (((qa &>> 4) & mask) | (((qh &>> 4) & three) &<< 4)) &- bias
                let g2o = (((qa &>> 12) & mask) | (((qh &>> 12) & three) &<< 4)) &- bias
                let g3e = (((qb &>> 4) & mask) | (((qh &>> 6) & three) &<< 4)) &- bias
                let g3o = (((qb &>> 12) & mask) | (((qh &>> 14) & three) &<< 4)) &- bias
                isum &+= (madd(g0e, ap.loadUnaligned(fromByteOffset: base, as: SIMD16<Int16>.self)) &+ madd(g0o, ap.loadUnaligned(fromByteOffset: base + 32, as: SIMD16<Int16>.self))) &* scales(0)
                isum &+= (madd(g1e, ap.loadUnaligned(fromByteOffset: base + 64, as: SIMD16<Int16>.self)) &+ madd(g1o, ap.loadUnaligned(fromByteOffset: base + 96, as: SIMD16<Int16>.self))) &* scales(2)
                isum &+= (madd(g2e, ap.loadUnaligned(fromByteOffset: base + 128, as: SIMD16<Int16>.self)) &+ madd(g2o, ap.loadUnaligned(fromByteOffset: base + 160, as: SIMD16<Int16>.self))) &* scales(4)
                isum &+= (madd(g3e, ap.loadUnaligned(fromByteOffset: base + 192, as: SIMD16<Int16>.self)) &+ madd(g3o, ap.loadUnaligned(fromByteOffset: base + 224, as: SIMD16<Int16>.self))) &* scales(6)
            }
            total += loadHalf(wp, 208) * ad[b] * Float(isum.wrappedSum())
            wp += 210
            ap += 512
        }
        return total
    }
}
#endif
