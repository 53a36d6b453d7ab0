/// A complete server reply: the code and every line's text ("250-SIZE", "250 HELP" → ["SIZE", "HELP"]).
struct SMTPReply: Sendable, Equatable {
    var code: Int
    var lines: [String]

    var text: String { lines.joined(separator: " / ") }

    /// EHLO keywords after the greeting line, upper-cased ("AUTH PLAIN LOGIN" → "AUTH").
    var extensions: [String: [String]] {
        var result: [String: [String]] = [:]
        for line in lines.dropFirst() {
            let words = line.split(separator: " ").map(String.init)
            guard let keyword = words.first?.uppercased() else { continue }
            result[keyword] = Array(words.dropFirst()).map { $0.uppercased() }
        }
        return result
    }
}

/// Collects reply lines until a reply is complete (RFC 5321 §4.2.1: "250-" continues, "250 " ends).
struct SMTPReplyParser {
    private var code: Int?
    private var lines: [String] = []

    /// Feeds one line without its CRLF; returns the reply when this line completes it.
    mutating func feed(_ line: String) throws(MailError) -> SMTPReply? {
        let bytes = Array(line.utf8)
        guard bytes.count >= 3, bytes[0...2].allSatisfy({ (0x30...0x39).contains($0) }),
              let lineCode = Int(String(decoding: bytes[0...2], as: UTF8.self)),
              (200...599).contains(lineCode) else {
            throw .protocolViolation("not an SMTP reply: \"\(line.prefix(80))\"")
        }
        let separator = bytes.count > 3 ? bytes[3] : UInt8(ascii: " ")
        guard separator == UInt8(ascii: " ") || separator == UInt8(ascii: "-") else {
            throw .protocolViolation("bad separator in SMTP reply: \"\(line.prefix(80))\"")
        }
        if let code, code != lineCode {
            throw .protocolViolation("reply code changed within a multi-line reply (\(code) then \(lineCode))")
        }
        code = lineCode
        lines.append(bytes.count > 4 ? String(decoding: bytes[4...], as: UTF8.self) : "")
        guard separator == UInt8(ascii: " ") else { return nil }
        defer { code = nil; lines = [] }
        return SMTPReply(code: lineCode, lines: lines)
    }
}
