import Foundation
import Testing
@testable import Inference

/// A stand-in model with the real tokenizer whose "forward pass" is a script: after a sequence of
/// length n it predicts `words[n % words.count]`. It records every batch, so tests can see that
/// sequences really advance together.
final class ScriptedModel: BatchModel, @unchecked Sendable {
    let real: LanguageModel
    let words: [Int32]
    let stepDelay: UInt32
    private let lock = NSLock()
    private var _batchSizes: [Int] = []
    var batchSizes: [Int] { lock.withLock { _batchSizes } }

    init(real: LanguageModel, stepDelayMicroseconds: UInt32 = 2000) {
        self.real = real
        self.words = [" one", " two", " three", " four", "."].map { real.tokenizer.encode($0, addBOS: false, parseSpecial: false)[0] }
        self.stepDelay = stepDelayMicroseconds
    }

    var tokenizer: Tokenizer { real.tokenizer }
    var name: String { "scripted" }
    var architecture: String { real.architecture }
    var chatTemplate: String? { nil }
    var contextLength: Int { real.contextLength }
    func makeSequence(capacity: Int) throws -> SequenceState { try real.makeSequence(capacity: capacity) }

    func evaluate(_ items: [(sequence: SequenceState, tokens: [Int32])]) throws -> [[Float]] {
        for item in items where item.sequence.count + item.tokens.count > item.sequence.capacity {
            throw InferenceError.contextFull(limit: item.sequence.capacity)
        }
        lock.withLock { _batchSizes.append(items.count) }
        usleep(stepDelay)
        return items.map { item in
            item.sequence.advance(by: item.tokens.count)
            var logits = [Float](repeating: -10, count: real.vocabularySize)
            logits[Int(words[item.sequence.count % words.count])] = 10
            return logits
        }
    }

    /// The text the script produces for a prompt of `promptLength` tokens, `n` tokens long.
    func expectedText(promptLength: Int, count n: Int) -> String {
        real.tokenizer.decode((0..<n).map { words[(promptLength + $0) % words.count] })
    }
}

@Suite("Engine scheduling", .serialized)
struct EngineSchedulingTests {
    let scripted: ScriptedModel

    init() throws {
        scripted = ScriptedModel(real: try EngineTestModel.model())
    }

    func engine(_ configuration: EngineConfiguration = .init()) throws -> InferenceEngine {
        try InferenceEngine(batchModel: scripted, configuration: configuration)
    }

    @Test func aRequestStreamsTheScriptedText() async throws {
        let e = try engine()
        defer { e.shutDown() }
        let r = try await collect(e.generate(GenerationRequest(input: .tokens([2, 818, 5279]), parameters: .greedy(maxNewTokens: 7))))
        #expect(r.text == scripted.expectedText(promptLength: 3, count: 7))
        #expect(r.reason == .length)
        #expect(r.events.first == .started(promptTokens: 3, seed: r.events.first.flatMap { if case .started(_, let s) = $0 { s } else { nil } } ?? 0))
    }

    @Test func concurrentRequestsShareEachStep() async throws {
        let e = try engine(.init(maxConcurrent: 4))
        defer { e.shutDown() }
        let before = scripted.batchSizes.count
        let texts = try await withThrowingTaskGroup(of: String.self) { group in
            for n in 1...4 {
                let prompt = [Int32](repeating: 818, count: n)
                group.addTask { try await collect(e.generate(GenerationRequest(input: .tokens(prompt), parameters: .greedy(maxNewTokens: 30)))).text }
            }
            var all: [String] = []
            for try await t in group { all.append(t) }
            return all
        }
        #expect(Set(texts) == Set((1...4).map { scripted.expectedText(promptLength: $0, count: 30) }))
        let sizes = scripted.batchSizes[before...]
        #expect(sizes.max() == 4)
        // 4 × 30 tokens in far fewer than 120 model calls.
        #expect(sizes.count < 60)
    }

    @Test func longPromptsAreReadInChunksWhileOthersKeepDecoding() async throws {
        let e = try engine(.init(maxConcurrent: 2, prefillChunk: 16))
        defer { e.shutDown() }
        var short = e.generate(GenerationRequest(input: .tokens([2]), parameters: .greedy(maxNewTokens: 40))).makeAsyncIterator()
        guard case .started = try await short.next() else { Issue.record("short did not start"); return }
        let before = scripted.batchSizes.count
        let long = try await collect(e.generate(GenerationRequest(input: .tokens([Int32](repeating: 818, count: 100)), parameters: .greedy(maxNewTokens: 3))))
        #expect(long.text == scripted.expectedText(promptLength: 100, count: 3))
        // 100 prompt tokens in chunks of 16 take at least 7 steps; the short stream ran alongside.
        #expect(scripted.batchSizes[before...].count >= 7)
        var shortText = ""
        while let ev = try await short.next() { if case .token(let t, _) = ev { shortText += t } }
        #expect(!shortText.isEmpty)
    }

    @Test func stopSequencesCutTheStreamAcrossTokens() async throws {
        let e = try engine()
        defer { e.shutDown() }
        var p = SamplingParameters.greedy(maxNewTokens: 20)
        p.stop = ["three fo"]  // spans two tokens
        let r = try await collect(e.generate(GenerationRequest(input: .tokens([2]), parameters: p)))
        // After a 1-token prompt the script says " two three four. one ..."
        #expect(r.text == " two ")
        #expect(r.reason == .stop)
        #expect(!r.events.contains { if case .token(let t, _) = $0 { t.contains("three") } else { false } })
    }

    @Test func aFullQueueIsBusyAndPositionsMoveUp() async throws {
        let e = try engine(.init(maxConcurrent: 1, maxQueued: 2))
        defer { e.shutDown() }
        var p = SamplingParameters.greedy(maxNewTokens: 100_000)
        p.ignoresEndOfGeneration = true
        var first = e.generate(GenerationRequest(input: .tokens([2]), parameters: p)).makeAsyncIterator()
        guard case .started = try await first.next() else { Issue.record("first did not start"); return }
        var second = e.generate(GenerationRequest(input: .tokens([2]), parameters: .greedy(maxNewTokens: 2))).makeAsyncIterator()
        var third = e.generate(GenerationRequest(input: .tokens([2]), parameters: .greedy(maxNewTokens: 2))).makeAsyncIterator()
        #expect(try await second.next() == .queued(position: 1))
        #expect(try await third.next() == .queued(position: 2))
        var fourth = e.generate(GenerationRequest(input: .tokens([2]), parameters: .greedy(maxNewTokens: 2))).makeAsyncIterator()
        await #expect(throws: GenerationError.busy(queued: 2)) { _ = try await fourth.next() }
        #expect(e.status == EngineStatus(running: 1, queued: 2, kvCacheBytes: e.status.kvCacheBytes))

        // Dropping the second request moves the third up.
        second = AsyncThrowingStream<GenerationEvent, Error> { $0.finish() }.makeAsyncIterator()
        #expect(try await third.next() == .queued(position: 1))
        _ = first
    }

    @Test func cancellingARunningRequestLetsTheNextOneIn() async throws {
        let e = try engine(.init(maxConcurrent: 1, maxQueued: 4))
        defer { e.shutDown() }
        var p = SamplingParameters.greedy(maxNewTokens: 100_000)
        p.ignoresEndOfGeneration = true
        let endless = Task {
            for try await _ in e.generate(GenerationRequest(input: .tokens([2]), parameters: p)) {}
        }
        while e.status.running == 0 { try await Task.sleep(for: .milliseconds(1)) }
        var waiting = e.generate(GenerationRequest(input: .tokens([2]), parameters: .greedy(maxNewTokens: 3))).makeAsyncIterator()
        #expect(try await waiting.next() == .queued(position: 1))
        endless.cancel()
        guard case .started = try await waiting.next() else { Issue.record("the waiting request never started"); return }
        var text = ""
        while let ev = try await waiting.next() { if case .token(let t, _) = ev { text += t } }
        #expect(text == scripted.expectedText(promptLength: 1, count: 3))
        while e.status.running > 0 { try await Task.sleep(for: .milliseconds(1)) }
        #expect(e.status.kvCacheBytes == 0)
    }

    @Test func promptsThatCannotFitAreRefusedClearly() async throws {
        let e = try engine(.init(contextLength: 32))
        defer { e.shutDown() }
        do {
            _ = try await collect(e.generate(GenerationRequest(input: .tokens([Int32](repeating: 818, count: 40)))))
            Issue.record("accepted an overlong prompt")
        } catch let error as GenerationError {
            #expect(error == .promptTooLong(tokens: 40, limit: 31))
            #expect(error.description.contains("40 tokens"))
        }
        await #expect(throws: GenerationError.emptyPrompt) { _ = try await collect(e.generate(GenerationRequest(input: .tokens([])))) }
        await #expect(throws: GenerationError.self) {
            _ = try await collect(e.generate(GenerationRequest(input: .tokens([2]), parameters: .init(topP: 2))))
        }
        // The engine still serves after refusing.
        let ok = try await collect(e.generate(GenerationRequest(input: .tokens([2]), parameters: .greedy(maxNewTokens: 2))))
        #expect(ok.reason == .length)
    }

    @Test func theContextLimitEndsGenerationWithLength() async throws {
        let e = try engine(.init(contextLength: 10))
        defer { e.shutDown() }
        var p = SamplingParameters.greedy(maxNewTokens: 100)
        p.ignoresEndOfGeneration = true
        let r = try await collect(e.generate(GenerationRequest(input: .tokens([2, 818, 5279, 529]), parameters: p)))
        #expect(r.reason == .length)
        #expect(r.usage?.completionTokens == 10 - 4 + 1)
    }

    @Test func chatsAreFormattedAndTruncatedToTheContext() async throws {
        let e = try engine(.init(contextLength: 64))
        defer { e.shutDown() }
        #expect(e.chatFormat == .transcript)
        let long = String(repeating: "word ", count: 200)
        let r = try await collect(e.generate(.chat([.system("Be brief."), .user(long), .assistant("ok"), .user("last question")], parameters: .greedy(maxNewTokens: 8))))
        guard case .started(let n, _) = r.events.first else { Issue.record("did not start"); return }
        let expected = scripted.tokenizer.encode(ChatFormat.transcript.render([.system("Be brief."), .user("last question")]), addBOS: true)
        #expect(n == expected.count)
        #expect(r.reason == .length)
    }

    @Test func kvMemoryIsBoundedByConfiguration() async throws {
        let perToken = try scripted.makeSequence(capacity: 1).memoryBytes
        // Room for 2 sequences of 20 tokens: the third request waits although slots are free.
        let e = try engine(.init(maxConcurrent: 8, maxQueued: 8, contextLength: 20, kvCacheBytes: perToken * 40))
        defer { e.shutDown() }
        var p = SamplingParameters.greedy(maxNewTokens: 19)
        p.ignoresEndOfGeneration = true
        let before = scripted.batchSizes.count
        let parameters = p
        let results = try await withThrowingTaskGroup(of: CollectedStream.self) { group in
            for _ in 0..<3 { group.addTask { try await collect(e.generate(GenerationRequest(input: .tokens([2]), parameters: parameters))) } }
            var all: [CollectedStream] = []
            for try await r in group { all.append(r) }
            return all
        }
        #expect(results.allSatisfy { $0.reason == .length })
        #expect(results.filter { if case .queued = $0.events.first { true } else { false } }.count == 1)
        #expect(scripted.batchSizes[before...].max()! <= 2)
    }
}
