#if OASST_CPU_CASCADELAKE
import _Builtin_intrinsics.intel

/// The prompt kernel: a panel of sixteen weight rows times every token of a chunk, with AVX-512 VNNI.
///
/// One vpdpbusd multiplies a vector of four columns of all sixteen rows (unsigned bytes) with four
/// activation bytes of one token broadcast to every lane, and adds the four products into that token's
/// sixteen integer sums: 64 multiply-adds per instruction and no horizontal sums. Eight tokens are
/// computed together, so each weight vector loaded serves eight instructions. At the end of a block the
/// integer sums become floats: Σ_blocks (weight scale × activation scale) × integer sum − min × activation
/// sum.
extension WeightPanel {
    static let available = true

    /// `unpack`, with the 32-value block types brought to bytes by the decode kernels' own vector steps.
    static func unpackRow(_ type: GGMLType, _ src: UnsafeRawPointer, columns n: Int, into u: UnsafeMutablePointer<UInt8>,
                          scales: UnsafeMutablePointer<Float>, mins: UnsafeMutablePointer<Float>, stride: Int) {
        switch type {
        case .q8_0: unpackBlocks32(.q8_0, src, blocks: n / 32, into: u, scales: scales, stride: stride)
        case .q5_0: unpackBlocks32(.q5_0, src, blocks: n / 32, into: u, scales: scales, stride: stride)
        case .q4_0: unpackBlocks32(.q4_0, src, blocks: n / 32, into: u, scales: scales, stride: stride)
        default: unpack(type, src, columns: n, into: u, scales: scales, mins: mins, stride: stride)
        }
    }

    @inline(__always)
    private static func unpackBlocks32(_ format: QuantDot.Blocks32Format, _ src: UnsafeRawPointer, blocks: Int,
                                       into u: UnsafeMutablePointer<UInt8>, scales: UnsafeMutablePointer<Float>, stride: Int) {
        let target = UnsafeMutableRawPointer(u)
        for b in 0..<blocks {
            let p = src + format.size * b
            scales[b * stride] = loadHalf(p)
            target.storeBytes(of: format.bytes(p), toByteOffset: 32 * b, as: __m256i.self)
        }
    }

    /// `[row][column]` → `[column / 4][row][4]`: each run of sixteen column quads of the sixteen rows is a
    /// 16 × 16 transpose of 32-bit words, done in registers instead of 256 word moves.
    static func interleave(_ rows: UnsafePointer<UInt8>, columns: Int, into values: UnsafeMutablePointer<UInt8>) {
        let runs = columns / 64
        let source = UnsafeRawPointer(rows), target = UnsafeMutableRawPointer(values)
        for run in 0..<runs {
            @inline(__always) func row(_ i: Int) -> __m512i {
                source.loadUnaligned(fromByteOffset: i * columns + 64 * run, as: __m512i.self)
            }
            let q = QuantDot.transposeWords(row(0), row(1), row(2), row(3), row(4), row(5), row(6), row(7),
                                            row(8), row(9), row(10), row(11), row(12), row(13), row(14), row(15))
            @inline(__always) func store(_ k: Int, _ v: __m512i) {
                target.storeBytes(of: v, toByteOffset: (16 * run + k) * 64, as: __m512i.self)
            }
            store(0, q.0); store(1, q.1); store(2, q.2); store(3, q.3); store(4, q.4); store(5, q.5); store(6, q.6); store(7, q.7)
            store(8, q.8); store(9, q.9); store(10, q.10); store(11, q.11); store(12, q.12); store(13, q.13); store(14, q.14); store(15, q.15)
        }
        interleaveWords(rows, columns: columns, quads: (16 * runs)..<(columns / 4), into: values)
    }

    /// out[t * outStride + firstRow + i] = panel row i · activation row t, for every activation row and
    /// the panel's filled rows.
    func multiply(_ act: PromptActivations, into out: UnsafeMutablePointer<Float>, outStride: Int, firstRow: Int) {
        precondition(act.columns == columns && act.layout == layout)
        let mask = __mmask16(truncatingIfNeeded: (1 << filled) - 1)
        var first = 0
        while first < act.rows {
            let count = min(8, act.rows - first)
            multiplyTile(act, first: first, count: count, into: out, outStride: outStride, firstRow: firstRow, mask: mask)
            first += count
        }
    }

    /// Eight activation rows from `first` (rows past `count` repeat the last and are not stored).
    @inline(__always)
    private func multiplyTile(_ act: PromptActivations, first: Int, count: Int, into out: UnsafeMutablePointer<Float>,
                              outStride: Int, firstRow: Int, mask: __mmask16) {
        let n = columns, blocks = self.blocks, quads = layout.blockSize / 4
        @inline(__always) func rowIndex(_ k: Int) -> Int { first + min(k, count - 1) }
        let r0 = rowIndex(0), r1 = rowIndex(1), r2 = rowIndex(2), r3 = rowIndex(3)
        let r4 = rowIndex(4), r5 = rowIndex(5), r6 = rowIndex(6), r7 = rowIndex(7)
        @inline(__always) func bytes(_ r: Int) -> UnsafeRawPointer { UnsafeRawPointer(act.values + r * n) }
        let a0 = bytes(r0), a1 = bytes(r1), a2 = bytes(r2), a3 = bytes(r3)
        let a4 = bytes(r4), a5 = bytes(r5), a6 = bytes(r6), a7 = bytes(r7)
        var f0 = _mm512_setzero_ps(), f1 = f0, f2 = f0, f3 = f0, f4 = f0, f5 = f0, f6 = f0, f7 = f0
        let weights = UnsafeRawPointer(values), mins = layout.hasMins
        for b in 0..<blocks {
            @inline(__always) func start(_ r: Int) -> __m512i { _mm512_set1_epi32(act.starts[r * blocks + b]) }
            var i0 = start(r0), i1 = start(r1), i2 = start(r2), i3 = start(r3)
            var i4 = start(r4), i5 = start(r5), i6 = start(r6), i7 = start(r7)
            for g in 0..<quads {
                let column = b * layout.blockSize + 4 * g
                let w = weights.loadUnaligned(fromByteOffset: column * WeightPanel.height, as: __m512i.self)
                @inline(__always) func broadcast(_ a: UnsafeRawPointer) -> __m512i {
                    _mm512_set1_epi32(a.loadUnaligned(fromByteOffset: column, as: Int32.self))
                }
                i0 = _mm512_dpbusd_epi32(i0, w, broadcast(a0)); i1 = _mm512_dpbusd_epi32(i1, w, broadcast(a1))
                i2 = _mm512_dpbusd_epi32(i2, w, broadcast(a2)); i3 = _mm512_dpbusd_epi32(i3, w, broadcast(a3))
                i4 = _mm512_dpbusd_epi32(i4, w, broadcast(a4)); i5 = _mm512_dpbusd_epi32(i5, w, broadcast(a5))
                i6 = _mm512_dpbusd_epi32(i6, w, broadcast(a6)); i7 = _mm512_dpbusd_epi32(i7, w, broadcast(a7))
            }
            let s = UnsafeRawPointer(scales + b * WeightPanel.height).loadUnaligned(as: __m512.self)
            @inline(__always) func scaled(_ f: __m512, _ i: __m512i, _ r: Int) -> __m512 {
                _mm512_fmadd_ps(_mm512_cvtepi32_ps(i), _mm512_mul_ps(s, _mm512_set1_ps(act.scales[r * blocks + b])), f)
            }
            f0 = scaled(f0, i0, r0); f1 = scaled(f1, i1, r1); f2 = scaled(f2, i2, r2); f3 = scaled(f3, i3, r3)
            f4 = scaled(f4, i4, r4); f5 = scaled(f5, i5, r5); f6 = scaled(f6, i6, r6); f7 = scaled(f7, i7, r7)
            if mins {
                let m = UnsafeRawPointer(self.mins + b * WeightPanel.height).loadUnaligned(as: __m512.self)
                @inline(__always) func less(_ f: __m512, _ r: Int) -> __m512 {
                    _mm512_fnmadd_ps(m, _mm512_set1_ps(act.sums[r * blocks + b]), f)
                }
                f0 = less(f0, r0); f1 = less(f1, r1); f2 = less(f2, r2); f3 = less(f3, r3)
                f4 = less(f4, r4); f5 = less(f5, r5); f6 = less(f6, r6); f7 = less(f7, r7)
            }
        }
        @inline(__always) func store(_ k: Int, _ f: __m512) {
            if k < count { _mm512_mask_storeu_ps(out + (first + k) * outStride + firstRow, mask, f) }
        }
        store(0, f0); store(1, f1); store(2, f2); store(3, f3); store(4, f4); store(5, f5); store(6, f6); store(7, f7)
    }
}
#endif
