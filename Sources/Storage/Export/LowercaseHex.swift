import Foundation

/// Lowercase hex digits appended to a byte buffer: ids in exports are written millions of times, and Foundation's
/// `uuidString` and `String(format: "%02x")` both go through printf.
enum LowercaseHex {
    private static let digits = Array("0123456789abcdef".utf8)

    static func append(_ byte: UInt8, to bytes: inout [UInt8]) {
        bytes.append(digits[Int(byte >> 4)])
        bytes.append(digits[Int(byte & 0x0F)])
    }

    /// `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`, the form Postgres and the oasst files use.
    static func appendUUID(_ id: UUID, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: id.uuid) { raw in
            for index in 0..<16 {
                if index == 4 || index == 6 || index == 8 || index == 10 { bytes.append(UInt8(ascii: "-")) }
                append(raw[index], to: &bytes)
            }
        }
    }

    static func uuid(_ id: UUID) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(36)
        appendUUID(id, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    static func string<Bytes: Sequence<UInt8>>(_ data: Bytes) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(64)
        for byte in data { append(byte, to: &bytes) }
        return String(decoding: bytes, as: UTF8.self)
    }
}
