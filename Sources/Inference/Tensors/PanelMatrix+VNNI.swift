#if OASST_CPU_CASCADELAKE
import _Builtin_intrinsics.intel
import CPrefetch

/// The packed panels times up to eight activation rows at a time, with AVX-512 VNNI: per block, eight
/// vectors of one column quad of the sixteen rows, each multiplied by vpdpbusd with a broadcast quad of
/// every token. A lane computes `total + Float(Σ w·a − 128 × Σa) × (d_w × d_a)` block after block, the
/// arithmetic of `blocks32` on the mapped rows, so a row's result has the bits of the unpacked matrix.
extension PanelMatrix {
    static let available = true

    /// out[t * outStride + r] = row r · activation row t, for the rows of `range` (which starts at a panel
    /// boundary) and every activation row (Q8_0 activations).
    func multiply(_ act: QuantizedActivations, rows range: Range<Int>, into out: UnsafeMutablePointer<Float>, outStride: Int) {
        precondition(act.columns == columns && range.lowerBound % Self.height == 0 && range.upperBound <= rows)
        var first = range.lowerBound
        while first < range.upperBound {
            let filled = min(Self.height, range.upperBound - first)
            let panel = UnsafeRawPointer(storage + first / Self.height * panelBytes)
            let mask = __mmask16(truncatingIfNeeded: (1 << filled) - 1)
            var token = 0
            while token < act.rows {
                let count = min(8, act.rows - token)
                // One specialisation per count: a single stream's step computes one token, not eight copies.
                switch count {
                case 1: tile(panel, act, tokens: token, count: 1, into: out, outStride: outStride, firstRow: first, mask: mask)
                case 2: tile(panel, act, tokens: token, count: 2, into: out, outStride: outStride, firstRow: first, mask: mask)
                case 3: tile(panel, act, tokens: token, count: 3, into: out, outStride: outStride, firstRow: first, mask: mask)
                case 4: tile(panel, act, tokens: token, count: 4, into: out, outStride: outStride, firstRow: first, mask: mask)
                case 5: tile(panel, act, tokens: token, count: 5, into: out, outStride: outStride, firstRow: first, mask: mask)
                case 6: tile(panel, act, tokens: token, count: 6, into: out, outStride: outStride, firstRow: first, mask: mask)
                case 7: tile(panel, act, tokens: token, count: 7, into: out, outStride: outStride, firstRow: first, mask: mask)
                default: tile(panel, act, tokens: token, count: 8, into: out, outStride: outStride, firstRow: first, mask: mask)
                }
                token += count
            }
            first += filled
        }
    }

    @inline(__always)
    private func tile(_ panel: UnsafeRawPointer, _ act: QuantizedActivations, tokens first: Int, count: Int,
                      into out: UnsafeMutablePointer<Float>, outStride: Int, firstRow: Int, mask: __mmask16) {
        let n = columns, blocks = self.blocks
        let scales = panel + scalesOffset
        var f0 = _mm512_setzero_ps(), f1 = f0, f2 = f0, f3 = f0, f4 = f0, f5 = f0, f6 = f0, f7 = f0
        // The panel after next is asked for into L2 while this one is computed: read as one plain stream
        // the panels still waited on memory, a step's output matrix taking 8.5 ms instead of 5.3.
        let linesPerBlock = (panelBytes / 64 + blocks - 1) / blocks
        var ahead = panel + 2 * panelBytes
        for b in 0..<blocks {
            for _ in 0..<linesPerBlock { oasst_prefetch(ahead); ahead += 64 }
            let base = panel + 512 * b
            @inline(__always) func quads(_ k: Int) -> __m512i { base.loadUnaligned(fromByteOffset: 64 * k, as: __m512i.self) }
            let w0 = quads(0), w1 = quads(1), w2 = quads(2), w3 = quads(3), w4 = quads(4), w5 = quads(5), w6 = quads(6), w7 = quads(7)
            let scale = _mm512_cvtph_ps(scales.loadUnaligned(fromByteOffset: 32 * b, as: __m256i.self))
            @inline(__always) func accumulate(_ f: __m512, _ t: Int) -> __m512 {
                QuantDot.panelBlockStep(f, (w0, w1, w2, w3, w4, w5, w6, w7), UnsafeRawPointer(act.values + t * n + 32 * b),
                                        offsetSum: 128 &* act.blockSums[t * blocks + b], scale: scale, activationScale: act.scales[t * blocks + b])
            }
            f0 = accumulate(f0, first)
            if count > 1 { f1 = accumulate(f1, first + 1) }
            if count > 2 { f2 = accumulate(f2, first + 2) }
            if count > 3 { f3 = accumulate(f3, first + 3) }
            if count > 4 { f4 = accumulate(f4, first + 4) }
            if count > 5 { f5 = accumulate(f5, first + 5) }
            if count > 6 { f6 = accumulate(f6, first + 6) }
            if count > 7 { f7 = accumulate(f7, first + 7) }
        }
        @inline(__always) func store(_ k: Int, _ f: __m512) {
            if k < count { _mm512_mask_storeu_ps(out + (first + k) * outStride + firstRow, mask, f) }
        }
        store(0, f0); store(1, f1); store(2, f2); store(3, f3); store(4, f4); store(5, f5); store(6, f6); store(7, f7)
    }
}
#else
extension PanelMatrix {
    /// Without AVX-512 VNNI the mapped rows' kernels serve every batch: nothing is packed.
    static let available = false

    func multiply(_ act: QuantizedActivations, rows range: Range<Int>, into out: UnsafeMutablePointer<Float>, outStride: Int) {
        preconditionFailure("packed panels are multiplied with AVX-512 VNNI only")
    }
}
#endif
