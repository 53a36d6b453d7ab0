import Foundation
import Testing
@testable import Inference

/// Prompts of several sequences read in one call share the passes over the weights; each must still get
/// exactly the numbers it gets alone, or a reply would depend on who else started chatting at that moment.
@Suite struct SharedPromptPassTests {
    static func models() -> [String] {
        let tiny = (try? FileManager.default.contentsOfDirectory(atPath: ModelFixtures.fixtures.appendingPathComponent("tiny").path)) ?? []
        return tiny.filter { $0.hasSuffix(".gguf") }.sorted().map { "tiny/\($0)" } + ["default"]
    }

    @Test(arguments: models())
    func promptsReadTogetherGiveTheLogitsEachGetsAlone(_ name: String) throws {
        let model = name == "default"
            ? try ModelFixtures.defaultModel()
            : try LanguageModel.load(path: ModelFixtures.fixtures.appendingPathComponent(name).path, threads: 2)
        let vocabulary = Int32(model.vocabularySize)
        // Different lengths, one of a single token (which takes the decode kernels, alone or not).
        let prompts: [[Int32]] = [[2, 17, 5, 40, 9, 11, 3], [2, 30, 8], [2], [2, 12, 6, 21, 4, 33, 7, 19, 25, 14, 10]]
            .map { $0.map { $0 % vocabulary } }
        let next: [Int32] = [5, 6, 7, 8].map { $0 % vocabulary }

        var alone: [[Float]] = [], aloneNext: [[Float]] = []
        for (prompt, token) in zip(prompts, next) {
            let seq = try model.makeSequence(capacity: 32)
            alone.append(try model.evaluate(sequence: seq, tokens: prompt))
            aloneNext.append(try model.evaluate(sequence: seq, tokens: [token]))
        }

        let sequences = try prompts.map { _ in try model.makeSequence(capacity: 32) }
        let together = try model.evaluate(Array(zip(sequences, prompts)).map { (sequence: $0.0, tokens: $0.1) })
        let togetherNext = try model.evaluate(Array(zip(sequences, next)).map { (sequence: $0.0, tokens: [$0.1]) })

        for i in prompts.indices {
            #expect(together[i].map(\.bitPattern) == alone[i].map(\.bitPattern), "\(name): prompt \(i) read beside the others")
            #expect(togetherNext[i].map(\.bitPattern) == aloneNext[i].map(\.bitPattern), "\(name): the step after prompt \(i)")
        }
    }
}
