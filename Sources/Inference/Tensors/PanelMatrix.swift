/// A Q8_0 matrix moved at load into the layout the batched decode kernel multiplies: panels of sixteen
/// rows, each a run of the rows' unsigned bytes interleaved four columns at a time (`[column / 4][row][4]`,
/// as `WeightPanel` unpacks a prompt's panels), followed by the panel's fp16 block scales (`[block][row]`).
///
/// It is the size of the Q8_0 rows it replaces. The decode panels of the mapped rows transpose sixteen
/// rows in registers at every step, and for the output matrix of Gemma 3 (262,144 rows) that work made
/// a step of eight sequences wait on arithmetic (9.8 ms against a single sequence's 6.2); here each
/// vector is loaded as it is multiplied, and eight sequences take what one takes (5.4 and 5.3 ms). The
/// Q8_0 pages of the file are handed back to the system as they are packed, so the process holds the
/// matrix once; a tied embedding reads its rows from the panels.
final class PanelMatrix: @unchecked Sendable {
    static let height = WeightPanel.height

    let rows: Int
    let columns: Int
    let panels: Int
    /// Bytes of one panel: its values, its scales, padded to a cache line.
    let panelBytes: Int
    let storage: UnsafeMutableRawPointer

    var blocks: Int { columns / 32 }
    /// Offset of a panel's scales from its start.
    var scalesOffset: Int { Self.height * columns }

    /// The panels of `w`, a matrix of `file`, when it is Q8_0 and this build has the kernel that multiplies them.
    convenience init?(packing w: WeightMatrix, mappedFrom file: MappedFile) {
        guard Self.available, w.type == .q8_0, w.columns % 32 == 0 else { return nil }
        self.init(q8_0: w, releasing: file)
    }

    /// Packs `w` (Q8_0) panel by panel; when it lies in `file`, the pages of its rows are released as it goes.
    init(q8_0 w: WeightMatrix, releasing file: MappedFile? = nil) {
        precondition(w.type == .q8_0 && w.columns % 32 == 0)
        if let file {
            precondition(w.data >= file.base && w.data + w.rows * w.rowBytes <= file.base + file.size, "\(w.name) is not in the file")
        }
        rows = w.rows
        columns = w.columns
        panels = (w.rows + Self.height - 1) / Self.height
        panelBytes = (Self.height * (w.columns + w.columns / 16) + 63) / 64 * 64
        storage = .allocate(byteCount: panels * panelBytes, alignment: 64)
        var unpacked = WeightPanel(maxColumns: w.columns)
        defer { unpacked.deallocate() }
        let blocks = w.columns / 32
        var released = 0
        for p in 0..<panels {
            let first = p * Self.height, filled = min(Self.height, w.rows - first)
            unpacked.load(w, rows: first..<(first + filled))
            let panel = storage + p * panelBytes
            panel.copyMemory(from: unpacked.values, byteCount: Self.height * w.columns)
            let scales = (panel + scalesOffset).assumingMemoryBound(to: UInt16.self)
            for b in 0..<blocks {
                for i in 0..<Self.height {
                    scales[b * Self.height + i] = i < filled
                        ? (w.data + (first + i) * w.rowBytes + w.type.blockBytes * b).loadUnaligned(as: UInt16.self)
                        : 0
                }
            }
            // The packed rows are not read from the file again: their pages leave the resident set
            // every few megabytes instead of doubling the matrix until the end.
            let done = (first + filled) * w.rowBytes
            if let file, done - released >= 1 << 22 || p == panels - 1 {
                MappedFile.release(w.data + released, bytes: done - released)
                released = done
            }
        }
    }

    deinit { storage.deallocate() }

    /// Row `r` as floats, the values `Dequantize.row` gives for the Q8_0 row: a tied embedding's lookups
    /// read the panels, so the file's pages of the matrix stay released.
    func dequantize(row r: Int, into dst: UnsafeMutablePointer<Float>) {
        precondition(r >= 0 && r < rows)
        let panel = UnsafeRawPointer(storage + r / Self.height * panelBytes), lane = r % Self.height
        for b in 0..<blocks {
            let d = loadHalf(panel + scalesOffset, 2 * (b * Self.height + lane))
            for j in 0..<32 {
                let u = panel.load(fromByteOffset: 512 * b + 64 * (j / 4) + 4 * lane + j % 4, as: UInt8.self)
                dst[32 * b + j] = d * Float(Int32(u) - 128)
            }
        }
    }
}
