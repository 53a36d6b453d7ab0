/// Reads little-endian values from a byte range, checking every read against the end, so that a
/// truncated or corrupt file produces `InferenceError.truncated` instead of a crash.
struct ByteCursor {
    let base: UnsafeRawPointer
    let end: Int
    private(set) var offset: Int

    init(base: UnsafeRawPointer, size: Int, offset: Int = 0) {
        self.base = base
        self.end = size
        self.offset = offset
    }

    /// Makes sure `count` more bytes exist; `what` names the structure for the error message.
    func require(_ count: Int, _ what: @autoclosure () -> String) throws {
        guard count >= 0, count <= end - offset else { throw InferenceError.truncated(what: what(), offset: offset) }
    }

    mutating func read<T: FixedWidthInteger>(_: T.Type, _ what: @autoclosure () -> String) throws -> T {
        try require(MemoryLayout<T>.size, what())
        let v = base.loadUnaligned(fromByteOffset: offset, as: T.self)
        offset += MemoryLayout<T>.size
        return T(littleEndian: v)
    }

    mutating func readFloat(_ what: @autoclosure () -> String) throws -> Float {
        Float(bitPattern: try read(UInt32.self, what()))
    }

    mutating func readDouble(_ what: @autoclosure () -> String) throws -> Double {
        Double(bitPattern: try read(UInt64.self, what()))
    }

    /// A GGUF string: u64 byte length then UTF-8 bytes (invalid sequences are repaired, not fatal).
    mutating func readString(_ what: @autoclosure () -> String) throws -> String {
        let n = try read(UInt64.self, what())
        guard n <= UInt64(end - offset) else { throw InferenceError.truncated(what: what(), offset: offset) }
        let bytes = UnsafeRawBufferPointer(start: base + offset, count: Int(n))
        offset += Int(n)
        return String(decoding: bytes, as: UTF8.self)
    }

    mutating func skip(to newOffset: Int) { offset = newOffset }
}
