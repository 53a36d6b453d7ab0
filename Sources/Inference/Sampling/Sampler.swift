/// Chooses tokens from logits according to `SamplingParameters`, one sequence at a time.
///
/// The steps run in the order of Hugging Face's logits processors (penalties, temperature, top-k,
/// top-p, typical-p), which is what text-generation-inference applied to Open Assistant's presets, so
/// a preset such as `k50-Precise` (temperature 0.1, top-p 0.95) behaves as it was tuned; min-p comes last.
public struct Sampler: Sendable {
    public let parameters: SamplingParameters
    /// The seed actually used (drawn at random when the parameters carry none), worth storing.
    public let seed: UInt64
    private var rng: SeededGenerator
    private var window: PenaltyWindow

    public init(parameters: SamplingParameters) {
        self.parameters = parameters
        self.seed = parameters.seed ?? UInt64.random(in: 0...UInt64.max - 1)
        self.rng = SeededGenerator(seed: seed)
        self.window = PenaltyWindow(size: parameters.penaltyWindow)
    }

    /// Records a token of the sequence (prompt or generated), for the penalties.
    public mutating func accept(_ token: Int32) {
        window.append(token)
    }

    public mutating func accept<S: Sequence>(contentsOf tokens: S) where S.Element == Int32 {
        for t in tokens { window.append(t) }
    }

    /// The next token for the sequence whose last-position logits are `logits`.
    /// Does not record it: call `accept` with the token once it is part of the sequence.
    public mutating func sample(_ logits: [Float]) -> Int32 {
        let p = parameters
        var adjusted = logits
        window.apply(to: &adjusted, repetition: p.repetitionPenalty, frequency: p.frequencyPenalty, presence: p.presencePenalty)
        if p.isGreedy { return Sampler.argmax(adjusted) }
        var candidates = TokenCandidates(logits: adjusted)
        if p.temperature != 1 { candidates.scale(byTemperature: p.temperature) }
        if p.topK > 0 { candidates.keepTop(p.topK) }
        if p.topP < 1 { candidates.keepTopP(p.topP) }
        if p.typicalP < 1 { candidates.keepTypical(p.typicalP) }
        if p.minP > 0 { candidates.keepMinP(p.minP) }
        return candidates.draw(using: &rng)
    }

    /// Index of the largest logit, the lowest on ties (as `argmax` everywhere); see `LargestLogit`. A NaN or an
    /// infinity (which the lanes do not rank reliably) falls back to the plain scan.
    public static func argmax(_ logits: [Float]) -> Int32 {
        logits.withUnsafeBufferPointer { v in
            LargestLogit.position(in: v).map { Int32($0) } ?? scanArgmax(v)
        }
    }

    private static func scanArgmax(_ v: UnsafeBufferPointer<Float>) -> Int32 {
        var best = 0
        for i in v.indices.dropFirst() where v[i] > v[best] { best = i }
        return Int32(best)
    }
}
