import Foundation

/// A hand-written JSON object writer: keys come out in the order of the oasst schema (trainers and people diff
/// these files), nothing is boxed in `Any`, and a line costs one growing byte buffer. Export speed depends on it.
struct JSONLine {
    private(set) var bytes: [UInt8] = []
    private var needsComma: [Bool] = []

    init(capacity: Int = 4096) {
        bytes.reserveCapacity(capacity)
    }

    mutating func beginObject() { value(); bytes.append(UInt8(ascii: "{")); needsComma.append(false) }
    mutating func endObject() { bytes.append(UInt8(ascii: "}")); needsComma.removeLast() }
    mutating func beginArray() { value(); bytes.append(UInt8(ascii: "[")); needsComma.append(false) }
    mutating func endArray() { bytes.append(UInt8(ascii: "]")); needsComma.removeLast() }

    /// Starts a member of the current object; the value call that follows completes it.
    mutating func key(_ name: String) {
        separate()
        writeString(name)
        bytes.append(UInt8(ascii: ":"))
        pendingKey = true
    }

    private var pendingKey = false

    /// Commas between members and array elements, never after a key.
    private mutating func value() {
        if pendingKey { pendingKey = false } else { separate() }
    }

    private mutating func separate() {
        guard !needsComma.isEmpty else { return }
        if needsComma[needsComma.count - 1] { bytes.append(UInt8(ascii: ",")) }
        needsComma[needsComma.count - 1] = true
    }

    mutating func string(_ text: String) { value(); writeString(text) }
    mutating func int(_ number: Int) { value(); bytes.append(contentsOf: String(number).utf8) }
    mutating func bool(_ flag: Bool) { value(); bytes.append(contentsOf: (flag ? "true" : "false").utf8) }
    mutating func double(_ number: Double) {
        value()
        if number.isFinite { bytes.append(contentsOf: "\(number)".utf8) } else { bytes.append(contentsOf: "null".utf8) }
    }
    /// Already-encoded JSON (e.g. a jsonb column's text), copied as is.
    mutating func raw(_ json: String) { value(); bytes.append(contentsOf: json.utf8) }

    // Optional members are left out entirely when nil: the oasst files omit null fields.
    mutating func member(_ name: String, _ text: String?) { if let text { key(name); string(text) } }
    mutating func member(_ name: String, _ number: Int?) { if let number { key(name); int(number) } }
    mutating func member(_ name: String, _ flag: Bool?) { if let flag { key(name); bool(flag) } }

    private mutating func writeString(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes.append(contentsOf: [92, 34])
            case UInt8(ascii: "\\"): bytes.append(contentsOf: [92, 92])
            case 0x0A: bytes.append(contentsOf: [92, UInt8(ascii: "n")])
            case 0x0D: bytes.append(contentsOf: [92, UInt8(ascii: "r")])
            case 0x09: bytes.append(contentsOf: [92, UInt8(ascii: "t")])
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: [92, UInt8(ascii: "u"), 48, 48, hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
