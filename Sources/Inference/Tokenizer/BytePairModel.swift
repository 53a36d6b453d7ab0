import Foundation

/// Byte-level BPE (`tokenizer.ggml.model = gpt2`) as llama.cpp runs it: split text into words with the
/// pre-tokenizer's regexes, map bytes to GPT-2's alphabet, then apply ranked merges inside each word.
struct BytePairModel: @unchecked Sendable {  // NSRegularExpression is immutable once built
    struct Pair: Hashable { let left: [UInt8]; let right: [UInt8] }

    let ranks: [Pair: Int]
    let expressions: [NSRegularExpression]
    /// Llama 3 style: a word that is already a token is taken whole, without merges.
    let ignoreMerges: Bool

    init(gguf: GGUFFile, ids: [[UInt8]: Int32]) throws {
        guard let merges = gguf.metadata["tokenizer.ggml.merges"]?.array else {
            throw InferenceError.missingMetadata(key: "tokenizer.ggml.merges")
        }
        var ranks: [Pair: Int] = [:]
        ranks.reserveCapacity(merges.count)
        for (i, m) in merges.enumerated() {
            guard let s = m.string else { continue }
            let bytes = Array(s.utf8)
            // The separator is the first space after the first byte (a merge may start with a space).
            guard bytes.count > 1, let sep = bytes[1...].firstIndex(of: 0x20) else { continue }
            let pair = Pair(left: Array(bytes[..<sep]), right: Array(bytes[(sep + 1)...]))
            if ranks[pair] == nil { ranks[pair] = i }
        }
        self.ranks = ranks
        let pre = gguf.optionalString("tokenizer.ggml.pre") ?? "default"
        let patterns: [String]
        switch pre {
        case "llama3", "llama-v3", "llama-bpe", "falcon3", "pixtral":
            patterns = [BytePairModel.llama3]
            ignoreMerges = true
        case "qwen2", "stablelm2", "hunyuan":
            patterns = [BytePairModel.qwen2]
            ignoreMerges = false
        case "smollm", "codeshell", "exaone", "minerva":
            patterns = ["\\p{N}", BytePairModel.gpt2]
            ignoreMerges = false
        case "gpt-2", "gpt2", "mpt", "olmo", "jais":
            patterns = [BytePairModel.gpt2]
            ignoreMerges = false
        case "default":
            patterns = ["[\\p{P}\\$\\+<=>\\^~\\|]+", BytePairModel.gpt2, "\\p{N}+", "[0-9][0-9][0-9]"]
            ignoreMerges = false
        default:
            throw InferenceError.unsupportedTokenizer("gpt2 with pre-tokenizer \"\(pre)\"")
        }
        expressions = try patterns.map { try NSRegularExpression(pattern: $0) }
    }

    static let gpt2 = "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)"
    static let llama3 = "(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+"
    static let qwen2 = "(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+"

    /// Words of `text`: each expression splits every piece further into matches and the gaps between them.
    func words(_ text: String) -> [String] {
        var pieces = [text]
        for re in expressions {
            var next: [String] = []
            for piece in pieces {
                let ns = piece as NSString
                var start = 0
                for m in re.matches(in: piece, range: NSRange(location: 0, length: ns.length)) where m.range.length > 0 {
                    if m.range.location > start { next.append(ns.substring(with: NSRange(location: start, length: m.range.location - start))) }
                    next.append(ns.substring(with: m.range))
                    start = m.range.location + m.range.length
                }
                if start < ns.length { next.append(ns.substring(from: start)) }
            }
            pieces = next
        }
        return pieces
    }

    struct Symbol { var start: Int; var length: Int; var prev: Int; var next: Int }
    struct Bigram { var left: Int; var right: Int; var rank: Int; var size: Int }

    func tokenize(_ bytes: ArraySlice<UInt8>, with vocab: Tokenizer, into out: inout [Int32]) {
        for word in words(String(decoding: bytes, as: UTF8.self)) {
            let text = ByteLevel.encode(Array(word.utf8))
            if ignoreMerges, let t = vocab.ids[text] { out.append(t); continue }
            merge(text, vocab: vocab, into: &out)
        }
    }

    private func merge(_ text: [UInt8], vocab: Tokenizer, into out: inout [Int32]) {
        var symbols: [Symbol] = []
        var offset = 0
        while offset < text.count {
            let n = min(SentencePiece.utf8Length(text[offset]), text.count - offset)
            symbols.append(Symbol(start: offset, length: n, prev: symbols.count - 1,
                                  next: offset + n == text.count ? -1 : symbols.count + 1))
            offset += n
        }
        guard !symbols.isEmpty else { return }
        var queue = Heap<Bigram> { a, b in a.rank < b.rank || (a.rank == b.rank && a.left < b.left) }
        func add(_ l: Int, _ r: Int) {
            guard l >= 0, r >= 0 else { return }
            let a = symbols[l], b = symbols[r]
            let pair = Pair(left: Array(text[a.start..<(a.start + a.length)]), right: Array(text[b.start..<(b.start + b.length)]))
            guard let rank = ranks[pair] else { return }
            queue.push(Bigram(left: l, right: r, rank: rank, size: a.length + b.length))
        }
        for i in 1..<symbols.count { add(i - 1, i) }
        while let bg = queue.pop() {
            let l = symbols[bg.left], r = symbols[bg.right]
            // Stale entries: a side was merged away, or grew since the pair was queued.
            if l.length == 0 || r.length == 0 || l.length + r.length != bg.size || l.next != bg.right { continue }
            symbols[bg.left].length += r.length
            symbols[bg.right].length = 0
            symbols[bg.left].next = r.next
            if r.next >= 0 { symbols[r.next].prev = bg.left }
            add(symbols[bg.left].prev, bg.left)
            add(bg.left, symbols[bg.left].next)
        }
        var i = 0
        while i != -1 {
            let s = symbols[i]
            let piece = Array(text[s.start..<(s.start + s.length)])
            if let t = vocab.ids[piece] {
                out.append(t)
            } else {
                for b in piece { if let t = vocab.ids[[b]] { out.append(t) } }
            }
            i = s.next
        }
    }
}
