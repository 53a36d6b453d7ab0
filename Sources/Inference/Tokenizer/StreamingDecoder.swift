/// Turns a stream of tokens into text without ever splitting a UTF-8 character: bytes of an incomplete
/// character are held back until the token that completes it arrives.
public struct StreamingDecoder {
    let tokenizer: Tokenizer
    private var pending: [UInt8] = []

    public init(tokenizer: Tokenizer) { self.tokenizer = tokenizer }

    /// Text made complete by `token` (possibly empty).
    public mutating func push(_ token: Int32) -> String {
        pending.append(contentsOf: tokenizer.piece(token))
        let cut = StreamingDecoder.completePrefixLength(pending)
        guard cut > 0 else { return "" }
        let text = String(decoding: pending[0..<cut], as: UTF8.self)
        pending.removeFirst(cut)
        return text
    }

    /// Whatever is held back, with invalid bytes replaced by U+FFFD; call at the end of a stream.
    public mutating func flush() -> String {
        defer { pending.removeAll() }
        return String(decoding: pending, as: UTF8.self)
    }

    /// Length of the longest prefix that does not end inside an unfinished UTF-8 sequence.
    /// Invalid bytes are let through (they become U+FFFD) so a broken stream cannot stall.
    static func completePrefixLength(_ bytes: [UInt8]) -> Int {
        let n = bytes.count
        // An unfinished sequence can only start within the last 3 bytes.
        var i = n - 1
        while i >= 0 && i >= n - 3 {
            let b = bytes[i]
            if b & 0xC0 == 0x80 { i -= 1; continue }        // continuation byte: look further back
            let need = b >= 0xF0 && b < 0xF8 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1
            return n - i < need ? i : n
        }
        return n
    }
}
