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
    /// Runs `body(i)` for i in 0..<count, on the model's threads when it has several (the bodies must not
    /// share mutable state), and returns when all are done.
    func concurrently(_ count: Int, _ body: @escaping (Int) -> Void)
}

extension LanguageModel: BatchModel {}

extension BatchModel {
    func concurrently(_ count: Int, _ body: @escaping (Int) -> Void) {
        for i in 0..<count { body(i) }
    }

    /// Logits after feeding `tokens` to one sequence.
    func evaluate(sequence: SequenceState, tokens: [Int32]) throws -> [Float] {
        try evaluate([(sequence: sequence, tokens: tokens)])[0]
    }
}
