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
}

extension LanguageModel: BatchModel {}

extension BatchModel {
    /// Logits after feeding `tokens` to one sequence.
    func evaluate(sequence: SequenceState, tokens: [Int32]) throws -> [Float] {
        try evaluate([(sequence: sequence, tokens: tokens)])[0]
    }
}
