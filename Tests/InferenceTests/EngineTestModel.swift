import Foundation
import Testing
@testable import Inference

/// The default model, loaded once for every engine test.
enum EngineTestModel {
    /// `OASST_MODEL`, or the default model that `scripts/setup` puts under the package root.
    static let path: String = {
        if let p = ProcessInfo.processInfo.environment["OASST_MODEL"], !p.isEmpty { return p }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return root.appendingPathComponent(".data/models/gemma-3-270m-q4_k_m.gguf").path
    }()

    private static let loaded: Result<LanguageModel, Error> = Result {
        guard FileManager.default.fileExists(atPath: path) else {
            throw Missing(description: "the engine tests need the default model at \(path); run scripts/setup or set OASST_MODEL")
        }
        return try LanguageModel.load(path: path, threads: 2)
    }

    static func model() throws -> LanguageModel { try loaded.get() }

    struct Missing: Error, CustomStringConvertible { let description: String }
}

/// Everything one stream produced.
struct CollectedStream {
    var events: [GenerationEvent] = []
    var text: String {
        events.compactMap { if case .token(let t, _) = $0 { return t } else { return nil } }.joined()
    }
    var reason: FinishReason? {
        for e in events { if case .finished(let r, _) = e { return r } }
        return nil
    }
    var usage: GenerationUsage? {
        for e in events { if case .finished(_, let u) = e { return u } }
        return nil
    }
}

func collect(_ stream: AsyncThrowingStream<GenerationEvent, Error>) async throws -> CollectedStream {
    var c = CollectedStream()
    for try await e in stream { c.events.append(e) }
    return c
}

/// Greedy decoding straight on the model, one sequence, no engine: the reference the engine must match.
func directGreedy(_ model: LanguageModel, prompt: [Int32], count: Int) throws -> [Int32] {
    let sequence = try model.makeSequence(capacity: prompt.count + count)
    var logits = try model.evaluate(sequence: sequence, tokens: prompt)
    var out: [Int32] = []
    for _ in 0..<count {
        let t = TokenCandidates(logits: logits).argmax()
        if model.tokenizer.endOfGeneration.contains(t) { break }
        out.append(t)
        if out.count == count { break }
        logits = try model.evaluate(sequence: sequence, tokens: [t])
    }
    return out
}
