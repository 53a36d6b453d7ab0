/// One step of a generation stream.
public enum GenerationEvent: Sendable, Hashable {
    /// The request waits; `position` 1 is next in line. Sent on arrival and whenever it moves up.
    case queued(position: Int)
    /// The request has a slot; its prompt (after formatting and truncation) is `promptTokens` long.
    /// `seed` is the seed actually used, worth storing to reproduce the text.
    case started(promptTokens: Int, seed: UInt64)
    /// New text to append. `id` is the token that completed it (nil when the text was released at the
    /// end, or comes from a server that does not send ids). Text is never part of a stop sequence.
    case token(text: String, id: Int32?)
    /// The last event.
    case finished(reason: FinishReason, usage: GenerationUsage)
}

public enum FinishReason: String, Codable, Sendable, Hashable {
    /// An end-of-generation token or a stop sequence.
    case stop
    /// `maxNewTokens`, or the context is full.
    case length
    /// The request was cancelled.
    case cancelled
}

/// Counts and timings of one generation (seconds; zero where the backend does not know).
public struct GenerationUsage: Codable, Sendable, Hashable {
    public var promptTokens: Int
    public var completionTokens: Int
    /// Time spent waiting for a slot.
    public var queueSeconds: Double
    /// Time from getting a slot to the first generated token (prompt processing).
    public var promptSeconds: Double
    /// Time from the first generated token to the last.
    public var generationSeconds: Double

    public init(promptTokens: Int = 0, completionTokens: Int = 0, queueSeconds: Double = 0, promptSeconds: Double = 0, generationSeconds: Double = 0) {
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.queueSeconds = queueSeconds
        self.promptSeconds = promptSeconds
        self.generationSeconds = generationSeconds
    }

    /// Generated tokens per second after the first (the decode rate).
    public var tokensPerSecond: Double {
        generationSeconds > 0 && completionTokens > 1 ? Double(completionTokens - 1) / generationSeconds : 0
    }
}
