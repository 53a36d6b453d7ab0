import Crypto
import Foundation

/// Ids in our tables are UUIDs. An oasst file normally carries UUIDs and they are kept as they are; an anonymised
/// file carries sha256 hex instead, which is mapped to a stable name-based UUID (the first 16 bytes of
/// sha256("oasst-import:" + id), version 5 layout), so importing the same file twice still finds the same rows.
enum ImportID {
    static func uuid(_ text: String) -> UUID {
        if let uuid = parse(text) { return uuid }
        var bytes = Array(SHA256.hash(data: Data("oasst-import:\(text)".utf8)).prefix(16))
        bytes[6] = (bytes[6] & 0x0F) | 0x50
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        return UUID(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                           bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]))
    }

    /// `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` in either case, as `UUID(uuidString:)` accepts it, without its
    /// sscanf: an import parses several ids per message.
    static func parse(_ text: String) -> UUID? {
        var text = text
        return text.withUTF8 { chars -> UUID? in
            guard chars.count == 36 else { return nil }
            var bytes = (UInt8(0), UInt8(0), UInt8(0), UInt8(0), UInt8(0), UInt8(0), UInt8(0), UInt8(0),
                         UInt8(0), UInt8(0), UInt8(0), UInt8(0), UInt8(0), UInt8(0), UInt8(0), UInt8(0))
            let complete = withUnsafeMutableBytes(of: &bytes) { out -> Bool in
                var index = 0
                for byteIndex in 0..<16 {
                    if index == 8 || index == 13 || index == 18 || index == 23 {
                        guard chars[index] == UInt8(ascii: "-") else { return false }
                        index += 1
                    }
                    guard let high = nibble(chars[index]), let low = nibble(chars[index + 1]) else { return false }
                    out[byteIndex] = high << 4 | low
                    index += 2
                }
                return true
            }
            return complete ? UUID(uuid: bytes) : nil
        }
    }

    private static func nibble(_ char: UInt8) -> UInt8? {
        switch char {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return char - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return char - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return char - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
