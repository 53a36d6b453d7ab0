/// What the engine needs from a model: tokenizer, KV caches and batched evaluation.
///
/// `LanguageModel` is the one real implementation; the protocol exists so the scheduling logic
/// (batching, queueing, cancellation) can also be exercised with a scripted stand-in.
protocol BatchModel: AnyObject, Sendable {
    var tokenizer: Tokenizer { get }
    var name: String { get }
    var architecture: String { get }
    var chatTemplate: String? { get }
    var contextLength: Int { get }
    func makeSequence(capacity: Int) throws -> SequenceState
    func evaluate(_ items: [(sequence: SequenceState, tokens: [Int32])]) throws -> [[Float]]
    /// `evaluate(_:)`, calling `whileHot(item, logits)` for every item's logits, possibly side by side.
    func evaluate(_ items: [(sequence: SequenceState, tokens: [Int32])], whileHot: ((Int, [Float]) -> Void)?) throws -> [[Float]]
}

extension LanguageModel: BatchModel {}

extension BatchModel {
    func evaluate(_ items: [(sequence: SequenceState, tokens: [Int32])], whileHot: ((Int, [Float]) -> Void)?) throws -> [[Float]] {
        let logits = try evaluate(items)
        for (item, values) in logits.enumerated() { whileHot?(item, values) }
        return logits
    }

    /// Logits after feeding `tokens` to one sequence.
    func evaluate(sequence: SequenceState, tokens: [Int32]) throws -> [Float] {
        try evaluate([(sequence: sequence, tokens: tokens)])[0]
    }
}
