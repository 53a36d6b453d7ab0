import COpenBLAS

/// A weight matrix in the memory-mapped file: `rows` output features, each a row of `columns` input
/// weights stored in `type` blocks. It is never expanded as a whole; the kernels read the blocks.
struct WeightMatrix: @unchecked Sendable {
    let name: String
    let data: UnsafeRawPointer
    let type: GGMLType
    let rows: Int
    let columns: Int
    let rowBytes: Int

    init(file: GGUFFile, name: String, columns: Int, rows: Int? = nil) throws {
        let info = try file.tensor(name)
        guard info.dims.count == 2 || (info.dims.count > 2 && info.dims[2...].allSatisfy { $0 == 1 }),
              info.dims[0] == columns, rows == nil || info.dims[1] == rows! else {
            throw InferenceError.tensorShapeMismatch(name: name, expected: [columns, rows ?? -1], found: info.dims)
        }
        self.name = name
        data = file.data(of: info)
        type = info.type
        self.columns = columns
        self.rows = info.dims[1]
        rowBytes = info.type.rowBytes(columns)
    }

    /// A matrix over rows held elsewhere, which must outlive it.
    init(name: String, data: UnsafeRawPointer, type: GGMLType, rows: Int, columns: Int) {
        self.name = name
        self.data = data
        self.type = type
        self.rows = rows
        self.columns = columns
        rowBytes = type.rowBytes(columns)
    }

    /// Dot product of row `r` with activation row `b`.
    @inline(__always)
    func dot(row r: Int, _ act: QuantizedActivations, _ b: Int) -> Float {
        let w = data + r * rowBytes
        let n = columns
        switch type {
        case .q8_0, .q5_0, .q4_0: return QuantDot.blocks32Dot(type, w, act, row: b)
        case .q4_K: return QuantDot.q4_K(w, act.values + b * n, act.scales + b * (n / 256), act.sums + b * (n / 16), blocks: n / 256)
        case .q5_K: return QuantDot.q5_K(w, act.values + b * n, act.scales + b * (n / 256), act.sums + b * (n / 16), blocks: n / 256)
        case .q6_K: return QuantDot.q6_K(w, act.values + b * n, act.scales + b * (n / 256), act.sums + b * (n / 16), blocks: n / 256)
        case .f32: return QuantDot.f32(w, act.floats + b * n, count: n)
        case .f16: return QuantDot.f16(w, act.floats + b * n, count: n)
        case .bf16: return QuantDot.bf16(w, act.floats + b * n, count: n)
        }
    }

    /// out[b * outStride + r] = row r · activation row b, for rows in `range` and every activation row.
    /// Each weight row is read once for all activation rows (the batch of decode steps).
    func multiply(_ act: QuantizedActivations, rows range: Range<Int>, into out: UnsafeMutablePointer<Float>, outStride: Int) {
        if type == .q8_0 || type == .q5_0 || type == .q4_0 {
            QuantDot.blocks32Product(type, data, rowBytes: rowBytes, act, rows: range, into: out, outStride: outStride)
            return
        }
        let batch = act.rows
        let grouped = type == .q4_K || type == .q6_K ? batch / 4 * 4 : 0
        let n = columns
        for r in range {
            var b = 0
            while b < grouped {
                let w = data + r * rowBytes, a = act.values + b * n, o = out + b * outStride + r
                if type == .q4_K {
                    QuantDot.q4_KRows4(w, a, act.scales + b * (n / 256), act.sums + b * (n / 16), blocks: n / 256, stride: n, into: o, outStride: outStride)
                } else {
                    QuantDot.q6_KRows4(w, a, act.scales + b * (n / 256), act.sums + b * (n / 16), blocks: n / 256, stride: n, into: o, outStride: outStride)
                }
                b += 4
            }
            while b < batch { out[b * outStride + r] = dot(row: r, act, b); b += 1 }
        }
    }

    /// Expands rows `range` to floats at `dst` (row stride `columns`).
    func dequantize(rows range: Range<Int>, into dst: UnsafeMutablePointer<Float>) {
        for r in range { Dequantize.row(type, data + r * rowBytes, dst + (r - range.lowerBound) * columns, count: columns) }
    }

    /// out[t * outStride + r] = Σ x[t, :] · row r, for `range` rows, by expanding them into `scratch`
    /// once and one single-threaded sgemm per run of token rows in `tokens` (the caller splits rows over
    /// threads). Each run is one sequence's prompt chunk: sgemm may round a row differently depending
    /// on how many rows it is given, and a sequence's numbers must not depend on who shares the pass.
    func multiplyBLAS(_ x: UnsafePointer<Float>, tokens: [Range<Int>], rows range: Range<Int>, scratch: UnsafeMutablePointer<Float>,
                      into out: UnsafeMutablePointer<Float>, outStride: Int) {
        guard !range.isEmpty else { return }
        dequantize(rows: range, into: scratch)
        for run in tokens where !run.isEmpty {
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(run.count), Int32(range.count), Int32(columns),
                        1, x + run.lowerBound * columns, Int32(columns), scratch, Int32(columns), 0,
                        out + run.lowerBound * outStride + range.lowerBound, Int32(outStride))
        }
    }
}
