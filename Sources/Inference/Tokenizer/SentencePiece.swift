/// SentencePiece-style tokenization as llama.cpp does it for `llama` vocabularies: start from UTF-8
/// characters, repeatedly merge the adjacent pair whose merged text is the highest-scoring token, then
/// fall back to byte tokens for anything that never became a token.
enum SentencePiece {
    static let space: [UInt8] = [0xE2, 0x96, 0x81]  // "▁", SentencePiece's visible space

    static func escapeWhitespace(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 8)
        for b in bytes { if b == 0x20 { out.append(contentsOf: space) } else { out.append(b) } }
        return out
    }

    static func unescapeWhitespace(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            if i + 2 < bytes.count, bytes[i] == 0xE2, bytes[i + 1] == 0x96, bytes[i + 2] == 0x81 {
                out.append(0x20); i += 3
            } else {
                out.append(bytes[i]); i += 1
            }
        }
        return out
    }

    /// Length of the UTF-8 sequence a lead byte announces (stray continuation bytes count as one).
    @inline(__always) static func utf8Length(_ lead: UInt8) -> Int {
        switch lead >> 4 {
        case 0xC, 0xD: return 2
        case 0xE: return 3
        case 0xF: return 4
        default: return 1
        }
    }

    struct Symbol { var start: Int; var length: Int; var prev: Int; var next: Int }
    struct Bigram { var left: Int; var right: Int; var score: Float; var size: Int }

    static func tokenize(_ text: [UInt8], with vocab: Tokenizer, into out: inout [Int32]) {
        guard !text.isEmpty else { return }
        var symbols: [Symbol] = []
        var offset = 0
        while offset < text.count {
            let n = min(utf8Length(text[offset]), text.count - offset)
            symbols.append(Symbol(start: offset, length: n, prev: symbols.count - 1,
                                  next: offset + n == text.count ? -1 : symbols.count + 1))
            offset += n
        }
        // The highest score merges first; among equal scores the leftmost pair.
        var queue = Heap<Bigram> { a, b in a.score > b.score || (a.score == b.score && a.left < b.left) }
        var reverseMerges: [ArraySlice<UInt8>: (Int, Int)] = [:]

        func tryAddBigram(_ left: Int, _ right: Int) {
            guard left >= 0, right >= 0 else { return }
            let l = symbols[left], r = symbols[right]
            let merged = text[l.start..<(l.start + l.length + r.length)]
            guard let token = vocab.ids[Array(merged)] else { return }
            queue.push(Bigram(left: left, right: right, score: vocab.scores[Int(token)], size: merged.count))
            reverseMerges[merged] = (left, right)
        }

        for i in 1..<symbols.count { tryAddBigram(i - 1, i) }
        while let bigram = queue.pop() {
            let left = symbols[bigram.left], right = symbols[bigram.right]
            // Skip pairs whose symbols changed since the pair was queued.
            if left.length == 0 || right.length == 0 || left.length + right.length != bigram.size { continue }
            symbols[bigram.left].length += right.length
            symbols[bigram.right].length = 0
            symbols[bigram.left].next = right.next
            if right.next >= 0 { symbols[right.next].prev = bigram.left }
            tryAddBigram(symbols[bigram.left].prev, bigram.left)
            tryAddBigram(bigram.left, symbols[bigram.left].next)
        }

        func resegment(_ s: Symbol) {
            let bytes = text[s.start..<(s.start + s.length)]
            if let token = vocab.ids[Array(bytes)] { out.append(token); return }
            if let (l, r) = reverseMerges[bytes] {
                resegment(symbols[l]); resegment(symbols[r]); return
            }
            for b in bytes { out.append(vocab.byteTokens[Int(b)]) }
        }
        var i = 0
        while i != -1 {
            resegment(symbols[i])
            i = symbols[i].next
        }
    }
}

/// A binary heap ordered by `before` (the element that should pop first comes first).
struct Heap<Element> {
    private var items: [Element] = []
    let before: (Element, Element) -> Bool

    init(before: @escaping (Element, Element) -> Bool) { self.before = before }

    var isEmpty: Bool { items.isEmpty }

    mutating func push(_ e: Element) {
        items.append(e)
        var i = items.count - 1
        while i > 0 {
            let p = (i - 1) / 2
            guard before(items[i], items[p]) else { break }
            items.swapAt(i, p)
            i = p
        }
    }

    mutating func pop() -> Element? {
        guard !items.isEmpty else { return nil }
        let top = items[0]
        let last = items.removeLast()
        if !items.isEmpty {
            items[0] = last
            var i = 0
            while true {
                let l = 2 * i + 1, r = l + 1
                var m = i
                if l < items.count && before(items[l], items[m]) { m = l }
                if r < items.count && before(items[r], items[m]) { m = r }
                if m == i { break }
                items.swapAt(i, m)
                i = m
            }
        }
        return top
    }
}
