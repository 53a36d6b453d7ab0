extension ChatFormat {
    /// The format a model was trained with, judged from its chat template, then its architecture, then
    /// the control tokens in its vocabulary; a plain transcript when nothing points anywhere.
    ///
    /// The default model (base Gemma 3 270M) has no chat template. It still gets the Gemma turn format:
    /// its vocabulary has `<start_of_turn>`/`<end_of_turn>` (shared with the instruction-tuned model), it
    /// stops cleanly on `<end_of_turn>`, and replies read better than with a bare transcript.
    public static func detect(architecture: String, chatTemplate: String?, hasToken: (String) -> Bool) -> ChatFormat {
        if let t = chatTemplate {
            if t.contains("<start_of_turn>") { return .gemma }
            if t.contains("<|start_header_id|>") { return .llama3 }
            if t.contains("<|im_start|>") { return .chatML }
            if t.contains("<|prompter|>") { return .openAssistant }
        }
        if architecture.hasPrefix("gemma") && hasToken("<start_of_turn>") { return .gemma }
        if hasToken("<|prompter|>") && hasToken("<|assistant|>") { return .openAssistant }
        if hasToken("<|start_header_id|>") && hasToken("<|eot_id|>") { return .llama3 }
        if hasToken("<|im_start|>") && hasToken("<|im_end|>") { return .chatML }
        return .transcript
    }

    /// The format for a loaded model.
    public static func detect(for model: LanguageModel) -> ChatFormat {
        detect(architecture: model.architecture, chatTemplate: model.chatTemplate) { model.tokenizer.token(named: $0) != nil }
    }

    /// Parses a format name as written in configuration (`gemma`, `chatml`, `llama3`, `oasst`, `transcript`).
    public init?(name: String) {
        let n = name.lowercased()
        if let f = ChatFormat(rawValue: n) { self = f; return }
        switch n {
        case "open-assistant", "openassistant", "oa": self = .openAssistant
        case "plain", "none", "base": self = .transcript
        case "llama-3", "llama_3": self = .llama3
        default: return nil
        }
    }
}
