/// The forward pass (implementation in progress).
final class Transformer: @unchecked Sendable {
    let config: ModelConfig
    init(file: GGUFFile, architecture: String, threads: Int) throws {
        let vocab = file.metadata["tokenizer.ggml.tokens"]?.array?.count ?? 0
        config = try ModelConfig(file: file, architecture: architecture, vocabularySize: vocab)
    }
    func evaluate(_ items: [(SequenceState, [Int32])]) -> [[Float]] { fatalError("not implemented yet") }
}
