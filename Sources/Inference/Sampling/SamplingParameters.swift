/// How the next token is chosen, and when generation stops.
///
/// Stored with every assistant message (as Open Assistant stores `work_parameters`), so the same
/// parameters and seed reproduce the same text. Every field has a neutral value that switches its
/// step off, so a partially filled JSON object means "defaults for the rest".
///
/// The JSON keys follow Open Assistant's `SamplingParameters` (`top_k`, `top_p`, `typical_p`,
/// `temperature`, `repetition_penalty`, `max_new_tokens`) plus llama.cpp's extra knobs.
public struct SamplingParameters: Codable, Sendable, Hashable {
    /// Upper bound on generated tokens (the context length may end generation earlier).
    public var maxNewTokens: Int
    /// 0 (or less) means greedy: always the most likely token; 1 leaves the distribution as it is.
    public var temperature: Double
    /// Keep only the `topK` most likely tokens; 0 switches the step off.
    public var topK: Int
    /// Nucleus sampling: keep the smallest set of tokens whose probabilities add up to `topP`; 1 is off.
    public var topP: Double
    /// Keep tokens at least `minP` times as likely as the most likely one; 0 is off.
    public var minP: Double
    /// Locally typical sampling (Meister et al. 2022); 1 is off.
    public var typicalP: Double
    /// Divides positive (multiplies negative) logits of tokens seen in the penalty window; 1 is off.
    public var repetitionPenalty: Double
    /// Subtracted once per occurrence in the penalty window (OpenAI semantics); 0 is off.
    public var frequencyPenalty: Double
    /// Subtracted once for any occurrence in the penalty window; 0 is off.
    public var presencePenalty: Double
    /// How many of the most recent tokens (prompt included) the penalties look at; -1 means the whole context.
    public var penaltyWindow: Int
    /// The same seed with the same parameters and prompt gives the same text. `nil` picks one at random.
    public var seed: UInt64?
    /// Text that ends generation; it is never part of the output, not even for a moment in a stream.
    public var stop: [String]
    /// Keep going past end-of-generation tokens (benchmarks want a fixed number of tokens).
    public var ignoresEndOfGeneration: Bool

    public init(
        maxNewTokens: Int = 1024, temperature: Double = 1, topK: Int = 0, topP: Double = 1, minP: Double = 0,
        typicalP: Double = 1, repetitionPenalty: Double = 1, frequencyPenalty: Double = 0, presencePenalty: Double = 0,
        penaltyWindow: Int = 64, seed: UInt64? = nil, stop: [String] = [], ignoresEndOfGeneration: Bool = false
    ) {
        self.maxNewTokens = maxNewTokens
        self.temperature = temperature
        self.topK = topK
        self.topP = topP
        self.minP = minP
        self.typicalP = typicalP
        self.repetitionPenalty = repetitionPenalty
        self.frequencyPenalty = frequencyPenalty
        self.presencePenalty = presencePenalty
        self.penaltyWindow = penaltyWindow
        self.seed = seed
        self.stop = stop
        self.ignoresEndOfGeneration = ignoresEndOfGeneration
    }

    /// Always the most likely token: deterministic without a seed.
    public static func greedy(maxNewTokens: Int = 1024) -> SamplingParameters {
        SamplingParameters(maxNewTokens: maxNewTokens, temperature: 0)
    }

    public var isGreedy: Bool { temperature <= 0 }

    /// A reason the parameters cannot be used, or nil when they are fine.
    public var problem: String? {
        if maxNewTokens < 1 { return "max_new_tokens must be at least 1, got \(maxNewTokens)" }
        if !temperature.isFinite { return "temperature must be a number" }
        if topK < 0 { return "top_k must be 0 (off) or positive, got \(topK)" }
        if !(topP > 0 && topP <= 1) { return "top_p must be in (0, 1], got \(topP)" }
        if !(minP >= 0 && minP <= 1) { return "min_p must be in [0, 1], got \(minP)" }
        if !(typicalP > 0 && typicalP <= 1) { return "typical_p must be in (0, 1], got \(typicalP)" }
        if !(repetitionPenalty > 0) || !repetitionPenalty.isFinite { return "repetition_penalty must be positive, got \(repetitionPenalty)" }
        if !frequencyPenalty.isFinite || !presencePenalty.isFinite { return "penalties must be numbers" }
        if penaltyWindow < -1 { return "penalty_last_n must be -1 (whole context), 0 (off) or positive" }
        if stop.contains(where: \.isEmpty) { return "stop sequences must not be empty" }
        return nil
    }

    enum CodingKeys: String, CodingKey {
        case maxNewTokens = "max_new_tokens", temperature, topK = "top_k", topP = "top_p", minP = "min_p"
        case typicalP = "typical_p", repetitionPenalty = "repetition_penalty"
        case frequencyPenalty = "frequency_penalty", presencePenalty = "presence_penalty"
        case penaltyWindow = "penalty_last_n", seed, stop, ignoresEndOfGeneration = "ignore_eos"
    }

    /// Missing keys and JSON nulls take the neutral default, as Open Assistant's nullable fields do.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = SamplingParameters()
        maxNewTokens = try c.decodeIfPresent(Int.self, forKey: .maxNewTokens) ?? d.maxNewTokens
        temperature = try c.decodeIfPresent(Double.self, forKey: .temperature) ?? d.temperature
        topK = try c.decodeIfPresent(Int.self, forKey: .topK) ?? d.topK
        topP = try c.decodeIfPresent(Double.self, forKey: .topP) ?? d.topP
        minP = try c.decodeIfPresent(Double.self, forKey: .minP) ?? d.minP
        typicalP = try c.decodeIfPresent(Double.self, forKey: .typicalP) ?? d.typicalP
        repetitionPenalty = try c.decodeIfPresent(Double.self, forKey: .repetitionPenalty) ?? d.repetitionPenalty
        frequencyPenalty = try c.decodeIfPresent(Double.self, forKey: .frequencyPenalty) ?? d.frequencyPenalty
        presencePenalty = try c.decodeIfPresent(Double.self, forKey: .presencePenalty) ?? d.presencePenalty
        penaltyWindow = try c.decodeIfPresent(Int.self, forKey: .penaltyWindow) ?? d.penaltyWindow
        seed = try c.decodeIfPresent(UInt64.self, forKey: .seed)
        stop = try c.decodeIfPresent([String].self, forKey: .stop) ?? d.stop
        ignoresEndOfGeneration = try c.decodeIfPresent(Bool.self, forKey: .ignoresEndOfGeneration) ?? false
    }
}
