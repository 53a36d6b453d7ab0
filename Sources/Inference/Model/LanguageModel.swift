import Foundation

/// A GGUF language model loaded for CPU inference: the public face of the inference core.
///
/// The weights are memory-mapped and never change after `load`, so one instance can be shared by every
/// caller. The scratch memory of a forward pass is shared too, so `evaluate` calls are serialised by an
/// internal lock; concurrency comes from batching many sequences into one call (continuous batching).
public final class LanguageModel: @unchecked Sendable {
    public let tokenizer: Tokenizer
    /// `general.architecture`: "gemma3", "llama", "qwen2", ...
    public let architecture: String
    /// `general.name`, or the file name without extension when the model has none.
    public let name: String
    /// The context length the model was trained for (`<arch>.context_length`).
    public let contextLength: Int
    public let vocabularySize: Int
    /// `tokenizer.chat_template` when the file carries one.
    public let chatTemplate: String?
    /// Worker threads used by `evaluate` (the calling thread counts as one).
    public let threads: Int
    /// Hidden size (`<arch>.embedding_length`).
    public var embeddingLength: Int { transformer.config.embeddingLength }
    /// Every metadata key/value of the GGUF file, for tools that want more than the fields above.
    public var metadata: [String: GGUFValue] { file.metadata }

    let file: GGUFFile
    let transformer: Transformer
    private let lock = NSLock()

    /// Maps the GGUF file at `path` and prepares it for inference.
    /// - Parameter threads: worker threads; 0 picks the number of active processors.
    public static func load(path: String, threads: Int = 0) throws -> LanguageModel {
        try CPUFeatures.check()
        let file = try GGUFFile(path: path)
        return try LanguageModel(file: file, path: path, threads: threads)
    }

    init(file: GGUFFile, path: String, threads requested: Int) throws {
        let count = requested > 0 ? requested : ProcessInfo.processInfo.activeProcessorCount
        self.file = file
        self.threads = max(1, count)
        self.architecture = try file.string("general.architecture")
        self.name = file.optionalString("general.name")
            ?? ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        self.chatTemplate = file.optionalString("tokenizer.chat_template")
        self.tokenizer = try Tokenizer(gguf: file)
        self.transformer = try Transformer(file: file, architecture: architecture, threads: self.threads)
        self.contextLength = transformer.config.contextLength
        self.vocabularySize = transformer.config.vocabularySize
        // The pool splits every sgemm over its own threads, so OpenBLAS itself must stay single-threaded:
        // nested threading would put 2× the requested threads on the cores.
        BLAS.setThreads(1)
    }

    /// A fresh KV cache for up to `capacity` tokens.
    /// Throws `InferenceError.capacityTooLarge` when `capacity` exceeds the training context.
    public func makeSequence(capacity: Int) throws -> SequenceState {
        guard capacity > 0 else { throw InferenceError.invalidArgument("sequence capacity must be positive, got \(capacity)") }
        guard capacity <= contextLength else {
            throw InferenceError.capacityTooLarge(requested: capacity, limit: contextLength)
        }
        return SequenceState(config: transformer.config, capacity: capacity)
    }

    /// Runs every item's tokens through the model, appending them to the item's KV cache, and returns the
    /// logits (one Float per vocabulary entry) of each item's last token, in item order.
    ///
    /// All items advance in one pass, so the weights are read once for the whole batch: decode steps of
    /// many sequences (one token each) cost little more than one. Long prompts are split into chunks and
    /// multiplied with `cblas_sgemm`. Throws `InferenceError.contextFull` (and changes no cache) when any
    /// sequence would overflow, and `invalidToken` for ids outside the vocabulary.
    public func evaluate(_ items: [(sequence: SequenceState, tokens: [Int32])]) throws -> [[Float]] {
        try evaluate(items, whileHot: nil)
    }

    /// `evaluate(_:)`, calling `whileHot(item, logits)` for each item as its logits are made, on the model's
    /// threads (the calls may run side by side and must not share mutable state): the sequences of a batch
    /// sample side by side, each right after its logits were copied out.
    public func evaluate(_ items: [(sequence: SequenceState, tokens: [Int32])], whileHot: ((Int, [Float]) -> Void)?) throws -> [[Float]] {
        for item in items {
            guard !item.tokens.isEmpty else { throw InferenceError.invalidArgument("evaluate: an item has no tokens") }
            guard item.sequence.count + item.tokens.count <= item.sequence.capacity else {
                throw InferenceError.contextFull(limit: item.sequence.capacity)
            }
            for t in item.tokens where t < 0 || Int(t) >= vocabularySize {
                throw InferenceError.invalidToken(t, vocabularySize: vocabularySize)
            }
        }
        let ids = items.map { ObjectIdentifier($0.sequence) }
        guard Set(ids).count == ids.count else {
            throw InferenceError.invalidArgument("evaluate: the same sequence appears twice in one batch")
        }
        lock.lock()
        defer { lock.unlock() }
        return transformer.evaluate(items.map { ($0.sequence, $0.tokens) }, whileHot: whileHot)
    }

    /// Convenience for one sequence.
    public func evaluate(sequence: SequenceState, tokens: [Int32]) throws -> [Float] {
        try evaluate([(sequence: sequence, tokens: tokens)])[0]
    }
}
