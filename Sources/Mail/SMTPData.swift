/// The DATA payload: the rendered message with SMTP transparency applied (RFC 5321 §4.5.2).
enum SMTPData {
    /// Every line that starts with "." gets another "." so the server cannot mistake it for the end
    /// of data; the payload ends with CRLF "." CRLF. Expects CRLF line endings (as `rendered` gives).
    static func payload(_ message: String) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(message.utf8.count + 16)
        var atLineStart = true
        for byte in message.utf8 {
            if atLineStart, byte == UInt8(ascii: ".") { out.append(byte) }
            out.append(byte)
            atLineStart = byte == 0x0A
        }
        if !(out.count >= 2 && out[out.count - 2] == 0x0D && out[out.count - 1] == 0x0A) {
            out += [0x0D, 0x0A]
        }
        out += Array(".\r\n".utf8)
        return out
    }
}
