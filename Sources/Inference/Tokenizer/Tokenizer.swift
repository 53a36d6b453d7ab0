/// Text ↔ token ids, built from a GGUF file's `tokenizer.*` metadata, matching llama.cpp's tokenizer.
///
/// Two models are supported: SentencePiece-style (`llama`: scored merges with byte fallback, used by
/// Gemma and Llama 2) and byte-level BPE (`gpt2`: ranked merges after a regex pre-tokenizer, used by
/// Llama 3, Qwen 2 and SmolLM). Token texts are compared as bytes, never as Swift `String`s, because
/// `String` equality folds canonically equivalent Unicode and two distinct tokens must stay distinct.
public final class Tokenizer: Sendable {
    enum Model: Sendable { case sentencePiece, bytePairs(BytePairModel) }

    let model: Model
    /// Raw token texts as stored in the GGUF file.
    let texts: [[UInt8]]
    let scores: [Float]
    let attributes: [TokenAttributes]
    let ids: [[UInt8]: Int32]
    /// Tokens matched in text before the model sees it: control, user-defined and unknown tokens,
    /// longest first (llama.cpp's special-token partition).
    let specials: [Int32]
    /// Bytes each token decodes to.
    let pieces: [[UInt8]]
    /// Byte value → token, for SentencePiece byte fallback (`<0xAB>`) and BPE byte symbols.
    let byteTokens: [Int32]
    let addSpacePrefix: Bool

    public let bos: Int32?
    public let eos: Int32?
    public let addsBOS: Bool
    public let addsEOS: Bool
    /// End-of-generation tokens, chosen as llama.cpp chooses them (eos, end-of-turn style tokens, ...).
    public let endOfGeneration: Set<Int32>
    public var vocabularySize: Int { texts.count }

    public init(gguf: GGUFFile) throws {
        let modelName = try gguf.string("tokenizer.ggml.model")
        guard let list = gguf.metadata["tokenizer.ggml.tokens"]?.array else {
            throw InferenceError.missingMetadata(key: "tokenizer.ggml.tokens")
        }
        var texts: [[UInt8]] = []
        texts.reserveCapacity(list.count)
        for (i, v) in list.enumerated() {
            guard let s = v.string else {
                throw InferenceError.invalidMetadata(key: "tokenizer.ggml.tokens", reason: "entry \(i) is not a string")
            }
            texts.append(s.isEmpty ? Array("[EMPTY_\(i)]".utf8) : Array(s.utf8))
        }
        let n = texts.count
        guard n > 0 else { throw InferenceError.invalidMetadata(key: "tokenizer.ggml.tokens", reason: "empty vocabulary") }

        var scores = [Float](repeating: 0, count: n)
        if let arr = gguf.metadata["tokenizer.ggml.scores"]?.array {
            guard arr.count >= n else { throw InferenceError.invalidMetadata(key: "tokenizer.ggml.scores", reason: "\(arr.count) scores for \(n) tokens") }
            for i in 0..<n { scores[i] = Float(arr[i].double ?? 0) }
        }
        var attributes = [TokenAttributes](repeating: .normal, count: n)
        if let arr = gguf.metadata["tokenizer.ggml.token_type"]?.array {
            guard arr.count >= n else { throw InferenceError.invalidMetadata(key: "tokenizer.ggml.token_type", reason: "\(arr.count) types for \(n) tokens") }
            for i in 0..<n { attributes[i] = TokenAttributes(tokenType: arr[i].int ?? 0) }
        }
        var ids: [[UInt8]: Int32] = [:]
        ids.reserveCapacity(n)
        for (i, t) in texts.enumerated() { ids[t] = Int32(i) }  // later duplicates win, as in llama.cpp

        let isSPM: Bool
        switch modelName {
        case "llama": isSPM = true; model = .sentencePiece
        case "gpt2":
            isSPM = false
            model = .bytePairs(try BytePairModel(gguf: gguf, ids: ids))
        default: throw InferenceError.unsupportedTokenizer(modelName)
        }

        func specialID(_ key: String) -> Int32? {
            guard let v = gguf.optionalInt("tokenizer.ggml.\(key)_token_id"), v >= 0, v < n else { return nil }
            return Int32(v)
        }
        bos = specialID("bos") ?? (isSPM ? (1 < n ? 1 : nil) : nil)
        eos = specialID("eos") ?? (isSPM ? (2 < n ? 2 : nil) : nil)
        addsBOS = gguf.optionalBool("tokenizer.ggml.add_bos_token") ?? isSPM
        addsEOS = gguf.optionalBool("tokenizer.ggml.add_eos_token") ?? false
        addSpacePrefix = isSPM ? (gguf.optionalBool("tokenizer.ggml.add_space_prefix") ?? true) : false

        // End of generation, from token texts as llama.cpp does; those names are also forced to control.
        var eog = Set<Int32>()
        for (i, t) in texts.enumerated() {
            guard let s = String(validatingUTF8: t.map { CChar(bitPattern: $0) } + [0]) else { continue }
            if Tokenizer.endOfGenerationNames.contains(s) || Tokenizer.fillInMiddleEndNames.contains(s) {
                eog.insert(Int32(i))
                attributes[i].insert(.control)
            }
        }
        if let e = eos { eog.insert(e) }
        if let e = specialID("eot") { eog.insert(e) }
        if let e = specialID("eom") { eog.insert(e) }
        endOfGeneration = eog

        var specials = (0..<n).filter { !attributes[$0].isDisjoint(with: [.control, .userDefined, .unknown]) }.map { Int32($0) }
        specials.sort { texts[Int($0)].count != texts[Int($1)].count ? texts[Int($0)].count > texts[Int($1)].count : $0 < $1 }

        var byteTokens = [Int32](repeating: -1, count: 256)
        let hex = Array("0123456789ABCDEF".utf8)
        for b in 0..<256 {
            if isSPM {
                let name: [UInt8] = [60, 48, 120, hex[b >> 4], hex[b & 15], 62]  // "<0xAB>"
                byteTokens[b] = ids[name] ?? ids[[UInt8(b)]] ?? -1
            } else {
                byteTokens[b] = ids[ByteLevel.encode(UInt8(b))] ?? -1
            }
        }

        var pieces: [[UInt8]] = []
        pieces.reserveCapacity(n)
        for i in 0..<n {
            let a = attributes[i], t = texts[i]
            if !a.isDisjoint(with: [.control, .unknown, .userDefined]) {
                pieces.append(t)
            } else if a.contains(.byte), t.count == 6, let v = UInt8(String(decoding: t[3..<5], as: UTF8.self), radix: 16) {
                pieces.append([v])
            } else if a.contains(.normal) {
                pieces.append(isSPM ? SentencePiece.unescapeWhitespace(t) : ByteLevel.decode(t))
            } else {
                pieces.append([])
            }
        }

        self.texts = texts
        self.scores = scores
        self.attributes = attributes
        self.ids = ids
        self.specials = specials
        self.byteTokens = byteTokens
        self.pieces = pieces
    }

    static let endOfGenerationNames: Set<String> = [
        "<|eot_id|>", "<|im_end|>", "<|end|>", "<|return|>", "<|call|>", "<|flush|>", "<|calls|>", "<end_of_turn>",
        "<|endoftext|>", "</s>", "<|eom_id|>", "<EOT>", "_<EOT>", "[EOT]", "[EOS]", "<|end_of_text|>",
        "<end_of_utterance>", "<eos>", "<turn|>", "<|tool_response>", "<｜end▁of▁sentence｜>", "[e~[",
    ]
    /// llama.cpp also ends generation on the fill-in-the-middle pad/repo/separator tokens.
    static let fillInMiddleEndNames: Set<String> = [
        "<|fim_pad|>", "<fim-pad>", "<fim_pad>", "<PAD>", "[PAD]",
        "<|fim_repo|>", "<|repo_name|>", "<fim-repo>", "<REPO>", "<reponame>", "<|file_sep|>",
    ]

    /// Token ids of `text`. `addBOS` prepends the BOS token (and EOS is appended when the model asks for
    /// it); `parseSpecial` lets control tokens such as `<start_of_turn>` be written as text.
    public func encode(_ text: String, addBOS: Bool, parseSpecial: Bool) -> [Int32] {
        var out: [Int32] = []
        if addBOS, let b = bos { out.append(b) }
        let bytes = Array(text.utf8)
        var isPrevSpecial = true
        for fragment in partition(bytes, parseSpecial: parseSpecial) {
            switch fragment {
            case .token(let t):
                out.append(t)
                isPrevSpecial = true
            case .text(let range):
                switch model {
                case .sentencePiece:
                    var chunk: [UInt8] = addSpacePrefix && isPrevSpecial ? [0x20] : []
                    chunk.append(contentsOf: bytes[range])
                    SentencePiece.tokenize(SentencePiece.escapeWhitespace(chunk), with: self, into: &out)
                case .bytePairs(let bpe):
                    bpe.tokenize(bytes[range], with: self, into: &out)
                }
                isPrevSpecial = false
            }
        }
        if addBOS, addsEOS, let e = eos { out.append(e) }
        return out
    }

    /// Raw bytes of one token; control tokens give their text (e.g. `<end_of_turn>`).
    public func piece(_ token: Int32) -> [UInt8] {
        guard token >= 0, Int(token) < pieces.count else { return [] }
        return pieces[Int(token)]
    }

    /// Raw bytes of one token as llama.cpp renders it with `special: false`: control tokens give nothing.
    public func piece(_ token: Int32, special: Bool) -> [UInt8] {
        guard token >= 0, Int(token) < pieces.count else { return [] }
        if !special && !attributes[Int(token)].isDisjoint(with: [.control, .unknown]) { return [] }
        return pieces[Int(token)]
    }

    /// Text of a whole token sequence (invalid UTF-8 is repaired with U+FFFD).
    public func decode(_ tokens: [Int32], special: Bool = true) -> String {
        String(decoding: tokens.flatMap { piece($0, special: special) }, as: UTF8.self)
    }

    /// The id of the token whose text is exactly `named`, e.g. `<start_of_turn>`.
    public func token(named: String) -> Int32? { ids[Array(named.utf8)] }

    /// The stored text of a token (SentencePiece keeps `▁` for spaces, BPE its byte symbols).
    public func text(of token: Int32) -> String? {
        guard token >= 0, Int(token) < texts.count else { return nil }
        return String(decoding: texts[Int(token)], as: UTF8.self)
    }

    /// Whether a token is a control token (never part of ordinary text).
    public func isControl(_ token: Int32) -> Bool {
        guard token >= 0, Int(token) < attributes.count else { return false }
        return attributes[Int(token)].contains(.control)
    }

    enum Fragment { case text(Range<Int>), token(Int32) }

    /// Splits text around special tokens, longest token first, as llama.cpp's `tokenizer_st_partition`.
    /// Without `parseSpecial` only user-defined tokens (such as Gemma's "\n" or whitespace runs) are matched.
    func partition(_ bytes: [UInt8], parseSpecial: Bool) -> [Fragment] {
        guard !bytes.isEmpty else { return [] }
        var fragments: [Fragment] = [.text(0..<bytes.count)]
        for id in specials {
            let a = attributes[Int(id)]
            if !parseSpecial && !a.isDisjoint(with: [.control, .unknown]) { continue }
            let needle = texts[Int(id)]
            guard !needle.isEmpty else { continue }
            var next: [Fragment] = []
            next.reserveCapacity(fragments.count)
            for f in fragments {
                guard case .text(let range) = f, range.count >= needle.count else { next.append(f); continue }
                var start = range.lowerBound
                var i = range.lowerBound
                let last = range.upperBound - needle.count
                while i <= last {
                    if bytes[i] == needle[0] && bytes[i..<(i + needle.count)].elementsEqual(needle) {
                        if i > start { next.append(.text(start..<i)) }
                        next.append(.token(id))
                        i += needle.count
                        start = i
                    } else {
                        i += 1
                    }
                }
                if start < range.upperBound { next.append(.text(start..<range.upperBound)) }
            }
            fragments = next
        }
        return fragments
    }
}

/// llama.cpp's token attributes, derived from the GGUF token types.
struct TokenAttributes: OptionSet, Sendable {
    let rawValue: UInt16
    static let undefined = TokenAttributes([])
    static let unknown = TokenAttributes(rawValue: 1 << 0)
    static let unused = TokenAttributes(rawValue: 1 << 1)
    static let normal = TokenAttributes(rawValue: 1 << 2)
    static let control = TokenAttributes(rawValue: 1 << 3)
    static let userDefined = TokenAttributes(rawValue: 1 << 4)
    static let byte = TokenAttributes(rawValue: 1 << 5)

    /// GGUF token types: 1 normal, 2 unknown, 3 control, 4 user-defined, 5 unused, 6 byte.
    init(tokenType: Int) {
        switch tokenType {
        case 1: self = .normal
        case 2: self = .unknown
        case 3: self = .control
        case 4: self = .userDefined
        case 5: self = .unused
        case 6: self = .byte
        default: self = .undefined
        }
    }

    init(rawValue: UInt16) { self.rawValue = rawValue }
}
