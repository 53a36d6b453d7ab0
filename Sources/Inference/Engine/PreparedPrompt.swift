/// A request turned into what the model needs: prompt tokens, stop sequences and the cache size.
struct PreparedPrompt {
    let tokens: [Int32]
    let stops: [String]
    /// Tokens the sequence's KV cache must hold: prompt plus reply, within the context limit.
    let capacity: Int

    /// Formats, tokenizes and (for chats) left-truncates the request's input.
    /// - Parameter limit: the most tokens one sequence may hold.
    init(_ request: GenerationRequest, tokenizer: Tokenizer, defaultFormat: ChatFormat, limit: Int) throws {
        let p = request.parameters
        if let problem = p.problem { throw GenerationError.invalidParameters(problem) }
        var stops = p.stop
        switch request.input {
        case .chat(let messages):
            let format = request.format ?? defaultFormat
            // Leave room for the reply: all of it when it is short, at least half the context otherwise.
            let budget = limit - min(p.maxNewTokens, limit / 2)
            let fitted = try ConversationWindow.fit(messages, budget: budget) {
                tokenizer.encode(format.render($0), addBOS: tokenizer.addsBOS).count
            }
            tokens = tokenizer.encode(format.render(fitted), addBOS: tokenizer.addsBOS)
            stops += format.stopSequences
        case .text(let text):
            // As llama.cpp's command line does, control tokens written in a raw prompt are parsed.
            tokens = tokenizer.encode(text, addBOS: tokenizer.addsBOS, parseSpecial: true)
        case .tokens(let ids):
            tokens = ids
        }
        guard !tokens.isEmpty else { throw GenerationError.emptyPrompt }
        // One position must stay free for the first generated token to be read back.
        guard tokens.count < limit else { throw GenerationError.promptTooLong(tokens: tokens.count, limit: limit - 1) }
        for t in tokens where t < 0 || Int(t) >= tokenizer.vocabularySize {
            throw GenerationError.invalidParameters("prompt token \(t) is outside the vocabulary (0..<\(tokenizer.vocabularySize))")
        }
        self.stops = stops
        capacity = min(limit, tokens.count + p.maxNewTokens)
    }
}
