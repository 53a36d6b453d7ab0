extension ChatFormat {
    /// The format a model was trained with, judged from its chat template; a model without one is a
    /// base model (or an Open Assistant fine-tune, recognised by its `<|prompter|>` token) and gets a
    /// plain transcript.
    ///
    /// The default model (base Gemma 3 270M) has no chat template, though its vocabulary has Gemma's
    /// `<start_of_turn>` tokens. The transcript serves it better: asked "What is the capital of France?"
    /// greedily, it answers "The capital of France is Paris." in a transcript, while in the Gemma turn
    /// format it only echoes the question, having never been trained on those turns.
    public static func detect(architecture: String, chatTemplate: String?, hasToken: (String) -> Bool) -> ChatFormat {
        if let t = chatTemplate {
            if t.contains("<start_of_turn>") { return .gemma }
            if t.contains("<|start_header_id|>") { return .llama3 }
            if t.contains("<|im_start|>") { return .chatML }
            if t.contains("<|prompter|>") { return .openAssistant }
        }
        if hasToken("<|prompter|>") && hasToken("<|assistant|>") { return .openAssistant }
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
