/// GPT-2's byte-level alphabet: every byte gets a printable Unicode character, so BPE vocabularies can
/// store arbitrary bytes as text. Printable Latin-1 bytes map to themselves, the rest to U+0100 onward.
enum ByteLevel {
    static let byteToScalar: [UInt32] = {
        var table = [UInt32](repeating: 0, count: 256)
        var next: UInt32 = 256
        for b in 0..<256 {
            if (33...126).contains(b) || (161...172).contains(b) || (174...255).contains(b) {
                table[b] = UInt32(b)
            } else {
                table[b] = next
                next += 1
            }
        }
        return table
    }()

    static let scalarToByte: [UInt32: UInt8] = {
        var map: [UInt32: UInt8] = [:]
        for (b, s) in byteToScalar.enumerated() { map[s] = UInt8(b) }
        return map
    }()

    /// UTF-8 of the character standing for `byte`.
    static func encode(_ byte: UInt8) -> [UInt8] {
        Array(String(Character(Unicode.Scalar(byteToScalar[Int(byte)])!)).utf8)
    }

    static func encode<C: Collection>(_ bytes: C) -> [UInt8] where C.Element == UInt8 {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for b in bytes { out.append(contentsOf: encodedBytes[Int(b)]) }
        return out
    }

    static let encodedBytes: [[UInt8]] = (0..<256).map { encode(UInt8($0)) }

    /// The bytes a token's text stands for; characters outside the alphabet pass through as UTF-8.
    static func decode(_ text: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        for scalar in String(decoding: text, as: UTF8.self).unicodeScalars {
            if let b = scalarToByte[scalar.value] { out.append(b) } else { out.append(contentsOf: Array(String(scalar).utf8)) }
        }
        return out
    }
}
