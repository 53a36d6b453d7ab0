/// The content encodings a mail needs, kept to 7-bit output so no server has to support 8BITMIME.
enum MIMEEncoding {
    private static let hex = Array("0123456789ABCDEF".utf8)

    /// Quoted-printable (RFC 2045 §6.7) of UTF-8 text. Line breaks in the text (LF, CRLF or CR) become
    /// hard CRLF breaks; longer lines get soft breaks so no encoded line exceeds 76 characters.
    static func quotedPrintable(_ text: String) -> String {
        var out: [UInt8] = []
        let lines = normalisedLines(text)
        for (index, line) in lines.enumerated() {
            var lineLength = 0
            let bytes = Array(line.utf8)
            for (i, byte) in bytes.enumerated() {
                let isLast = i == bytes.count - 1
                var piece: [UInt8]
                let literal = (33...126).contains(byte) && byte != UInt8(ascii: "=")
                // Trailing whitespace would be stripped in transit, so it is encoded.
                let whitespace = (byte == 0x20 || byte == 0x09) && !isLast
                if literal || whitespace {
                    piece = [byte]
                } else {
                    piece = [UInt8(ascii: "="), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
                }
                // Keep room for the "=" of a soft break, except on the last piece of the line.
                let limit = isLast ? 76 : 75
                if lineLength + piece.count > limit {
                    out += Array("=\r\n".utf8)
                    lineLength = 0
                }
                out += piece
                lineLength += piece.count
            }
            if index < lines.count - 1 { out += [0x0D, 0x0A] }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Base64 (RFC 4648) without line breaks.
    static func base64(_ bytes: some Collection<UInt8>) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        let input = Array(bytes)
        var out: [UInt8] = []
        out.reserveCapacity((input.count + 2) / 3 * 4)
        var i = 0
        while i < input.count {
            let b0 = input[i], b1 = i + 1 < input.count ? input[i + 1] : 0, b2 = i + 2 < input.count ? input[i + 2] : 0
            out.append(alphabet[Int(b0 >> 2)])
            out.append(alphabet[Int((b0 & 0x03) << 4 | b1 >> 4)])
            out.append(i + 1 < input.count ? alphabet[Int((b1 & 0x0F) << 2 | b2 >> 6)] : UInt8(ascii: "="))
            out.append(i + 2 < input.count ? alphabet[Int(b2 & 0x3F)] : UInt8(ascii: "="))
            i += 3
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// A header value as RFC 2047 encoded words when it needs them (non-ASCII, control characters,
    /// something that looks like an encoded word, or too long for one header line); otherwise unchanged.
    /// Words are split on character boundaries and folded with CRLF + space so every line stays short.
    static func headerValue(_ value: String, headerNameLength: Int) -> String {
        let plainOK = value.utf8.allSatisfy { (0x20...0x7E).contains($0) }
            && !value.contains("=?")
            && headerNameLength + 2 + value.utf8.count <= 78
        if plainOK { return value }
        // 36 bytes of UTF-8 → 48 base64 characters, plus 12 for "=?UTF-8?B?" and "?=" → 60, so even the
        // first word after a header name stays within the 78-character line length of RFC 5322.
        var words: [String] = []
        var chunk: [UInt8] = []
        for character in value {
            let bytes = Array(String(character).utf8)
            if chunk.count + bytes.count > 36, !chunk.isEmpty {
                words.append("=?UTF-8?B?\(base64(chunk))?=")
                chunk = []
            }
            chunk += bytes
        }
        if !chunk.isEmpty { words.append("=?UTF-8?B?\(base64(chunk))?=") }
        return words.joined(separator: "\r\n ")
    }

    /// Splits text into lines on LF, CRLF or lone CR, so bodies from any source end up with CRLF.
    static func normalisedLines(_ text: String) -> [Substring] {
        text.replacingCRLF().split(separator: "\n", omittingEmptySubsequences: false)
    }
}

extension String {
    /// CRLF and lone CR become LF. (Swift treats "\r\n" as one Character, so split on unicode scalars.)
    fileprivate func replacingCRLF() -> String {
        var scalars = String.UnicodeScalarView()
        var previousCR = false
        for scalar in unicodeScalars {
            if scalar == "\r" {
                scalars.append("\n")
                previousCR = true
                continue
            }
            if scalar == "\n", previousCR { previousCR = false; continue }
            previousCR = false
            scalars.append(scalar)
        }
        return String(scalars)
    }
}
