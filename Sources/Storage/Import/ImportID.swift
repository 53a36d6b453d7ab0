import Crypto
import Foundation

/// Ids in our tables are UUIDs. An oasst file normally carries UUIDs and they are kept as they are; an anonymised
/// file carries sha256 hex instead, which is mapped to a stable name-based UUID (the first 16 bytes of
/// sha256("oasst-import:" + id), version 5 layout), so importing the same file twice still finds the same rows.
enum ImportID {
    static func uuid(_ text: String) -> UUID {
        if let uuid = UUID(uuidString: text) { return uuid }
        var bytes = Array(SHA256.hash(data: Data("oasst-import:\(text)".utf8)).prefix(16))
        bytes[6] = (bytes[6] & 0x0F) | 0x50
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        return UUID(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                           bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]))
    }
}
