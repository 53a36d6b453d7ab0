/// A request holding a slot: its KV cache, the prompt tokens still to read, and the state that turns
/// sampled tokens into streamed text. Touched only by the engine's thread.
final class ActiveSequence {
    let job: GenerationJob
    let sequence: SequenceState
    let promptTokens: Int
    /// Tokens to feed the model next: the unread rest of the prompt, then the last sampled token.
    var pending: [Int32]
    var sampler: Sampler
    var decoder: StreamingDecoder
    var stopFilter: StopSequenceFilter
    let endOfGeneration: Set<Int32>
    var generated = 0
    /// A chat reply starts at its first visible character ("Assistant: Paris", not " Paris").
    var trimsLeadingSpace: Bool
    let admitted = ContinuousClock.now
    var firstToken: ContinuousClock.Instant?

    init(job: GenerationJob, prompt: PreparedPrompt, sequence: SequenceState, tokenizer: Tokenizer) {
        self.job = job
        self.sequence = sequence
        self.promptTokens = prompt.tokens.count
        self.pending = prompt.tokens
        self.sampler = Sampler(parameters: job.request.parameters)
        self.sampler.accept(contentsOf: prompt.tokens)
        self.decoder = StreamingDecoder(tokenizer: tokenizer)
        self.stopFilter = StopSequenceFilter(prompt.stops)
        self.endOfGeneration = job.request.parameters.ignoresEndOfGeneration ? [] : tokenizer.endOfGeneration
        if case .chat = job.request.input { trimsLeadingSpace = true } else { trimsLeadingSpace = false }
    }

    private func emit(_ text: String, id: Int32?) {
        var text = Substring(text)
        if trimsLeadingSpace {
            text = text.drop { $0.isWhitespace }
            if !text.isEmpty { trimsLeadingSpace = false }
        }
        if !text.isEmpty { job.continuation.yield(.token(text: String(text), id: id)) }
    }

    var isReadingPrompt: Bool { generated == 0 }

    /// Handles the model's logits after the last pending token: samples, streams the new text, and
    /// returns the reason to finish, if any.
    func advance(logits: [Float]) -> FinishReason? {
        advance(with: sample(logits))
    }

    /// The next token from the model's logits; touches nothing but this sequence's sampler, so the sequences
    /// of a batch sample side by side.
    func sample(_ logits: [Float]) -> Int32 {
        sampler.sample(logits)
    }

    /// `advance(logits:)` with the token already sampled from them.
    func advance(with token: Int32) -> FinishReason? {
        sampler.accept(token)
        generated += 1
        if firstToken == nil { firstToken = .now }
        if endOfGeneration.contains(token) { return .stop }
        let text = stopFilter.push(decoder.push(token))
        emit(text, id: token)
        if stopFilter.isStopped { return .stop }
        if generated >= job.request.parameters.maxNewTokens { return .length }
        // The new token must go into the cache before the next one can be sampled.
        if sequence.count + 1 > sequence.capacity { return .length }
        pending = [token]
        return nil
    }

    /// Streams what is still held back (unless a stop sequence ended the text) and the final event.
    func finish(_ reason: FinishReason) {
        if reason != .cancelled {
            let rest = stopFilter.push(decoder.flush()) + stopFilter.finish()
            emit(rest, id: nil)
        }
        let now = ContinuousClock.now
        let usage = GenerationUsage(
            promptTokens: promptTokens, completionTokens: generated,
            queueSeconds: (admitted - job.submitted).seconds,
            promptSeconds: ((firstToken ?? now) - admitted).seconds,
            generationSeconds: firstToken.map { (now - $0).seconds } ?? 0)
        job.continuation.yield(.finished(reason: reason, usage: usage))
        job.continuation.finish()
    }
}
