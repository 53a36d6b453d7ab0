/// A piece of a formatted prompt: ordinary text, or a control token written by the format.
///
/// Keeping the two apart is what stops prompt injection: text a person typed is encoded with special
/// tokens switched off, so typing `<end_of_turn>` cannot end a turn; only the format emits control tokens.
public enum PromptSegment: Sendable, Hashable {
    case text(String)
    /// A control token by its vocabulary text, e.g. `<start_of_turn>`.
    case control(String)
    /// The model's end-of-sequence token, whatever it is called (`</s>`, `<|endoftext|>`, `<eos>`).
    case endOfText
}

extension Array where Element == PromptSegment {
    /// The prompt as one string, control tokens written out; `endOfText` names the EOS token.
    public func rendered(endOfText: String = "<|endoftext|>") -> String {
        map {
            switch $0 {
            case .text(let s): return s
            case .control(let s): return s
            case .endOfText: return endOfText
            }
        }.joined()
    }
}

extension Tokenizer {
    /// Token ids of a formatted prompt. Text is encoded without special-token parsing; control
    /// segments become their token, or their literal text when the vocabulary lacks them.
    public func encode(_ segments: [PromptSegment], addBOS: Bool) -> [Int32] {
        var out: [Int32] = []
        if addBOS, let b = bos { out.append(b) }
        var text = ""
        func flushText() {
            if !text.isEmpty { out += encode(text, addBOS: false, parseSpecial: false) }
            text = ""
        }
        for segment in segments {
            switch segment {
            case .text(let s):
                text += s  // adjacent text is encoded as one run, as the whole string would be
            case .control(let name):
                if let id = token(named: name) {
                    flushText()
                    out.append(id)
                } else {
                    text += name
                }
            case .endOfText:
                if let e = eos {
                    flushText()
                    out.append(e)
                } else {
                    text += "<|endoftext|>"
                }
            }
        }
        flushText()
        return out
    }
}
