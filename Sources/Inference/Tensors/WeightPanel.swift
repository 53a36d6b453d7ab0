/// Sixteen weight rows unpacked for the integer prompt kernel (`WeightPanel+VNNI.swift`).
///
/// Every quantized type is brought to one form: per block of `blockSize` columns and per row, unsigned
/// bytes `u`, a float scale `s` and a float `min`, with weight = s × (u − offset) − min. The offset is the
/// type's (Q8_0 128, Q5_0 16, Q4_0 8, Q6_K 32) and is folded into the integer sums through the activation
/// sums; `min` is the K-quants' 6-bit min times dmin. The bytes are interleaved four columns at a time —
/// `[column / 4][row][4]` — so that one 64-byte vector holds four columns of all sixteen rows and a
/// product with four broadcast activation bytes adds one column quad to sixteen dot products at once.
///
/// A panel is unpacked once per prompt chunk and then multiplied with every token of the chunk, so the
/// model stays in its quantized form in memory and the unpacking cost is shared by hundreds of tokens.
struct WeightPanel {
    static let height = 16

    /// How a weight type is unpacked: columns per scale, the offset of its unsigned bytes, whether its
    /// blocks carry mins, and how many activations share a scale — llama.cpp quantizes the activations of
    /// 32-value blocks per 32 (Q8_0) and those of the K-quants per 256 (Q8_K), and so do we, so that the
    /// rounding of a prompt's activations is the one llama.cpp's own prompt path applies.
    struct Layout: Equatable {
        let blockSize: Int
        let offset: Int32
        let hasMins: Bool
        let activationBlock: Int
    }

    static func layout(of type: GGMLType) -> Layout? {
        switch type {
        case .q8_0: return Layout(blockSize: 32, offset: 128, hasMins: false, activationBlock: 32)
        case .q5_0: return Layout(blockSize: 32, offset: 16, hasMins: false, activationBlock: 32)
        case .q4_0: return Layout(blockSize: 32, offset: 8, hasMins: false, activationBlock: 32)
        case .q4_K, .q5_K: return Layout(blockSize: 32, offset: 0, hasMins: true, activationBlock: 256)
        case .q6_K: return Layout(blockSize: 16, offset: 32, hasMins: false, activationBlock: 256)
        case .f32, .f16, .bf16: return nil
        }
    }

    let maxColumns: Int
    /// `[column / 4][row][4]` unsigned bytes.
    let values: UnsafeMutablePointer<UInt8>
    /// `[block][row]`.
    let scales: UnsafeMutablePointer<Float>
    /// `[block][row]`, K-quants only.
    let mins: UnsafeMutablePointer<Float>
    /// The sixteen rows in natural order (`[row][column]`), before interleaving.
    private let rows: UnsafeMutablePointer<UInt8>
    private(set) var layout = Layout(blockSize: 32, offset: 0, hasMins: false, activationBlock: 32)
    private(set) var columns = 0
    /// Rows of the matrix in this panel (the rest of the sixteen are zero).
    private(set) var filled = 0

    init(maxColumns: Int) {
        self.maxColumns = maxColumns
        values = .allocate(capacity: maxColumns * Self.height)
        scales = .allocate(capacity: maxColumns / 16 * Self.height)
        mins = .allocate(capacity: maxColumns / 16 * Self.height)
        rows = .allocate(capacity: maxColumns * Self.height)
    }

    func deallocate() {
        values.deallocate(); scales.deallocate(); mins.deallocate(); rows.deallocate()
    }

    var blocks: Int { columns / layout.blockSize }

    /// Unpacks rows `range` (at most sixteen) of `w`, whose type must have a `layout`.
    mutating func load(_ w: WeightMatrix, rows range: Range<Int>) {
        precondition(range.count <= Self.height && w.columns <= maxColumns && w.columns % 32 == 0)
        layout = Self.layout(of: w.type)!
        columns = w.columns
        filled = range.count
        for i in 0..<Self.height {
            if i < filled {
                Self.unpackRow(w.type, w.data + (range.lowerBound + i) * w.rowBytes, columns: columns, into: rows + i * columns,
                               scales: scales + i, mins: mins + i, stride: Self.height)
            } else {
                (rows + i * columns).update(repeating: 0, count: columns)
                for b in 0..<blocks { scales[b * Self.height + i] = 0; mins[b * Self.height + i] = 0 }
            }
        }
        Self.interleave(rows, columns: columns, into: values)
    }

    /// `[row][column]` → `[column / 4][row][4]` for the sixteen rows, column quads in plain Swift.
    static func interleaveWords(_ rows: UnsafePointer<UInt8>, columns: Int, quads: Range<Int>, into values: UnsafeMutablePointer<UInt8>) {
        let source = UnsafeRawPointer(rows)
        let words = UnsafeMutableRawPointer(values).assumingMemoryBound(to: UInt32.self)
        for i in 0..<height {
            for q in quads {
                words[q * height + i] = source.loadUnaligned(fromByteOffset: i * columns + 4 * q, as: UInt32.self)
            }
        }
    }

    /// One row of `type` blocks as unsigned bytes, with block b's scale at `scales[b * stride]` and its min
    /// (K-quants) at `mins[b * stride]`. Bit layouts as in ggml-common.h and `Dequantize`.
    static func unpack(_ type: GGMLType, _ src: UnsafeRawPointer, columns n: Int, into u: UnsafeMutablePointer<UInt8>,
                       scales: UnsafeMutablePointer<Float>, mins: UnsafeMutablePointer<Float>, stride: Int) {
        let low = SIMD16<UInt8>(repeating: 0x0F)
        switch type {
        case .q8_0:
            for b in 0..<(n / 32) {
                let p = src + 34 * b
                scales[b * stride] = loadHalf(p)
                for h in 0..<2 {
                    let q = p.loadUnaligned(fromByteOffset: 2 + 16 * h, as: SIMD16<UInt8>.self)
                    UnsafeMutableRawPointer(u + 32 * b + 16 * h).storeBytes(of: q ^ 0x80, as: SIMD16<UInt8>.self)
                }
            }
        case .q4_0:
            for b in 0..<(n / 32) {
                let p = src + 18 * b
                scales[b * stride] = loadHalf(p)
                let q = p.loadUnaligned(fromByteOffset: 2, as: SIMD16<UInt8>.self)
                UnsafeMutableRawPointer(u + 32 * b).storeBytes(of: q & low, as: SIMD16<UInt8>.self)
                UnsafeMutableRawPointer(u + 32 * b + 16).storeBytes(of: q &>> 4, as: SIMD16<UInt8>.self)
            }
        case .q5_0:
            let shifts = SIMD16<UInt32>(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15)
            for b in 0..<(n / 32) {
                let p = src + 22 * b
                scales[b * stride] = loadHalf(p)
                let qh = p.loadUnaligned(fromByteOffset: 2, as: UInt32.self)
                let q = p.loadUnaligned(fromByteOffset: 6, as: SIMD16<UInt8>.self)
                let h0 = SIMD16<UInt8>(truncatingIfNeeded: (SIMD16(repeating: qh) &>> shifts) & 1) &<< 4
                let h1 = SIMD16<UInt8>(truncatingIfNeeded: (SIMD16(repeating: qh >> 16) &>> shifts) & 1) &<< 4
                UnsafeMutableRawPointer(u + 32 * b).storeBytes(of: (q & low) | h0, as: SIMD16<UInt8>.self)
                UnsafeMutableRawPointer(u + 32 * b + 16).storeBytes(of: (q &>> 4) | h1, as: SIMD16<UInt8>.self)
            }
        case .q4_K, .q5_K:
            let size = type == .q4_K ? 144 : 176, qsOffset = type == .q4_K ? 16 : 48
            let low32 = SIMD32<UInt8>(repeating: 0x0F), one32 = SIMD32<UInt8>(repeating: 1)
            for b in 0..<(n / 256) {
                let p = src + size * b
                let d = loadHalf(p), dmin = loadHalf(p, 2)
                let high = type == .q5_K ? p.loadUnaligned(fromByteOffset: 16, as: SIMD32<UInt8>.self) : SIMD32()
                for c in 0..<4 {
                    for half in 0..<2 {
                        let j = 2 * c + half, block = 8 * b + j
                        let (s, m) = QuantDot.scaleMin(j, p + 4)
                        scales[block * stride] = d * Float(s)
                        mins[block * stride] = dmin * Float(m)
                    }
                    let q = p.loadUnaligned(fromByteOffset: qsOffset + 32 * c, as: SIMD32<UInt8>.self)
                    var lo = q & low32, hi = q &>> 4
                    if type == .q5_K {
                        lo |= ((high &>> UInt8(2 * c)) & one32) &<< 4
                        hi |= ((high &>> UInt8(2 * c + 1)) & one32) &<< 4
                    }
                    UnsafeMutableRawPointer(u + 256 * b + 64 * c).storeBytes(of: lo, as: SIMD32<UInt8>.self)
                    UnsafeMutableRawPointer(u + 256 * b + 64 * c + 32).storeBytes(of: hi, as: SIMD32<UInt8>.self)
                }
            }
        case .q6_K:
            let low32 = SIMD32<UInt8>(repeating: 0x0F), three32 = SIMD32<UInt8>(repeating: 3)
            for b in 0..<(n / 256) {
                let p = src + 210 * b
                let d = loadHalf(p, 208)
                for i in 0..<16 { scales[(16 * b + i) * stride] = d * Float(p.load(fromByteOffset: 192 + i, as: Int8.self)) }
                for h in 0..<2 {
                    let a = p.loadUnaligned(fromByteOffset: 64 * h, as: SIMD32<UInt8>.self)
                    let c = p.loadUnaligned(fromByteOffset: 64 * h + 32, as: SIMD32<UInt8>.self)
                    let hb = p.loadUnaligned(fromByteOffset: 128 + 32 * h, as: SIMD32<UInt8>.self)
                    let out = UnsafeMutableRawPointer(u + 256 * b + 128 * h)
                    out.storeBytes(of: (a & low32) | ((hb & three32) &<< 4), as: SIMD32<UInt8>.self)
                    out.storeBytes(of: (c & low32) | (((hb &>> 2) & three32) &<< 4), toByteOffset: 32, as: SIMD32<UInt8>.self)
                    out.storeBytes(of: (a &>> 4) | (((hb &>> 4) & three32) &<< 4), toByteOffset: 64, as: SIMD32<UInt8>.self)
                    out.storeBytes(of: (c &>> 4) | ((hb &>> 6) &<< 4), toByteOffset: 96, as: SIMD32<UInt8>.self)
                }
            }
        case .f32, .f16, .bf16:
            preconditionFailure("\(type) weights are not unpacked to bytes")
        }
    }
}
