import Foundation

/// A hand-written JSON object writer: keys come out in the order of the oasst schema (trainers and people diff
/// these files), nothing is boxed in `Any`, and text is copied in runs between the few bytes that need escaping.
/// Export speed depends on it; one writer can be `reset` and reused for every line, keeping its memory.
struct JSONLine {
    private(set) var bytes: [UInt8] = []
    /// Whether the innermost open object or array already holds a member. The flags of the levels around it
    /// wait on a stack, so writing a value touches one Bool and only brackets touch the stack.
    private var hasMember = false
    private var enclosing: [Bool] = []
    private var pendingKey = false

    init(capacity: Int = 4096) {
        bytes.reserveCapacity(capacity)
        enclosing.reserveCapacity(16)
    }

    /// Starts the next line in the same memory.
    mutating func reset() {
        bytes.removeAll(keepingCapacity: true)
        enclosing.removeAll(keepingCapacity: true)
        hasMember = false
        pendingKey = false
    }

    mutating func beginObject() { open(UInt8(ascii: "{")) }
    mutating func endObject() { close(UInt8(ascii: "}")) }
    mutating func beginArray() { open(UInt8(ascii: "[")) }
    mutating func endArray() { close(UInt8(ascii: "]")) }

    /// Starts a member of the current object; the value call that follows completes it.
    mutating func key(_ name: String) {
        separate()
        writeString(name)
        bytes.append(UInt8(ascii: ":"))
        pendingKey = true
    }

    mutating func string(_ text: String) { value(); writeString(text) }
    mutating func int(_ number: Int) { value(); bytes.append(contentsOf: String(number).utf8) }
    mutating func bool(_ flag: Bool) { value(); bytes.append(contentsOf: (flag ? "true" : "false").utf8) }
    mutating func double(_ number: Double) {
        value()
        if number.isFinite { bytes.append(contentsOf: "\(number)".utf8) } else { bytes.append(contentsOf: "null".utf8) }
    }
    /// Already-encoded JSON (e.g. a jsonb column's text), copied as is.
    mutating func raw(_ json: String) {
        value()
        var json = json
        json.withUTF8 { bytes.append(contentsOf: $0) }
    }

    /// A UUID in its lowercase text form, written straight into the line (Foundation's `uuidString` formats
    /// through printf and would need lowercasing too).
    mutating func uuid(_ id: UUID) {
        value()
        bytes.append(UInt8(ascii: "\""))
        LowercaseHex.appendUUID(id, to: &bytes)
        bytes.append(UInt8(ascii: "\""))
    }

    /// A timestamp as the oasst files write it (`2023-02-05T12:00:00.123456+00:00`).
    mutating func timestamp(_ time: PostgresTimestamp) {
        value()
        bytes.append(UInt8(ascii: "\""))
        time.appendISO8601(to: &bytes)
        bytes.append(UInt8(ascii: "\""))
    }

    // Optional members are left out entirely when nil: the oasst files omit null fields.
    mutating func member(_ name: String, _ text: String?) { if let text { key(name); string(text) } }
    mutating func member(_ name: String, _ number: Int?) { if let number { key(name); int(number) } }
    mutating func member(_ name: String, _ flag: Bool?) { if let flag { key(name); bool(flag) } }

    private mutating func open(_ bracket: UInt8) {
        value()
        bytes.append(bracket)
        enclosing.append(hasMember)
        hasMember = false
    }

    private mutating func close(_ bracket: UInt8) {
        bytes.append(bracket)
        hasMember = enclosing.removeLast()
    }

    /// Commas between members and array elements, never after a key.
    private mutating func value() {
        if pendingKey { pendingKey = false } else { separate() }
    }

    private mutating func separate() {
        if hasMember { bytes.append(UInt8(ascii: ",")) } else { hasMember = true }
    }

    private mutating func writeString(_ text: String) {
        var text = text
        text.withUTF8 { writeEscaped($0) }
    }

    private mutating func writeEscaped(_ text: UnsafeBufferPointer<UInt8>) {
        bytes.append(UInt8(ascii: "\""))
        var runStart = 0
        var index = 0
        while index < text.count {
            // Most text needs no escaping: skip it eight bytes at a time.
            if index + 8 <= text.count, let base = UnsafeRawPointer(text.baseAddress),
               !Self.needsEscaping(base.loadUnaligned(fromByteOffset: index, as: UInt64.self)) {
                index += 8
                continue
            }
            let end = min(index + 8, text.count)
            while index < end {
                let byte = text[index]
                index += 1
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                if runStart < index - 1 { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: text[runStart..<(index - 1)])) }
                runStart = index
                bytes.append(UInt8(ascii: "\\"))
                switch byte {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"): bytes.append(byte)
                case 0x0A: bytes.append(UInt8(ascii: "n"))
                case 0x0D: bytes.append(UInt8(ascii: "r"))
                case 0x09: bytes.append(UInt8(ascii: "t"))
                default:
                    bytes.append(contentsOf: "u00".utf8)
                    LowercaseHex.append(byte, to: &bytes)
                }
            }
        }
        if runStart < text.count { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: text[runStart...])) }
        bytes.append(UInt8(ascii: "\""))
    }

    /// Whether any of eight bytes is a control character, a quote or a backslash. Each test sets a byte's high bit
    /// where the byte is below the threshold (for `x ^ c`: where it equals `c`) and is exact about whether any is.
    private static func needsEscaping(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101, highBits: UInt64 = 0x8080_8080_8080_8080
        func hasByteBelow(_ x: UInt64, _ limit: UInt64) -> Bool { (x &- ones &* limit) & ~x & highBits != 0 }
        return hasByteBelow(word, 0x20) || hasByteBelow(word ^ (ones &* 0x22), 1) || hasByteBelow(word ^ (ones &* 0x5C), 1)
    }
}
