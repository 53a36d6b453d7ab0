import Foundation
import Testing
@testable import Inference

/// The engine on the real default model. Serialized: each test wants the two cores to itself.
@Suite("Engine", .serialized)
struct EngineTests {
    let model: LanguageModel

    init() throws {
        model = try EngineTestModel.model()
    }

    @Test func greedyThroughTheEngineEqualsTheDirectGreedyLoop() async throws {
        let engine = try InferenceEngine(model: model)
        defer { engine.shutDown() }
        let prompt = "The capital of France is"
        let ids = model.tokenizer.encode(prompt, addBOS: true, parseSpecial: true)
        #expect(ids == [2, 818, 5279, 529, 7001, 563])
        let expected = try directGreedy(model, prompt: ids, count: 32)
        let result = try await collect(engine.generate(.text(prompt, parameters: .greedy(maxNewTokens: 32))))
        #expect(result.text == model.tokenizer.decode(expected))
        #expect(result.reason == .length)
        #expect(result.usage?.promptTokens == 6)
        #expect(result.usage?.completionTokens == 32)
        if case .started(let n, _) = result.events.first { #expect(n == 6) } else { Issue.record("first event: \(result.events.first as Any)") }
    }

    @Test func fourConcurrentRequestsGiveTheSameTextAsEachAlone() async throws {
        let engine = try InferenceEngine(model: model, configuration: .init(maxConcurrent: 4))
        defer { engine.shutDown() }
        let prompts = [
            "The history of computing is",
            "Once upon a time, in a small village,",
            "def fibonacci(n):",
            "Paris, Berlin and Madrid are",
        ]
        let parameters = SamplingParameters.greedy(maxNewTokens: 24)
        var alone: [String] = []
        for p in prompts { alone.append(try await collect(engine.generate(.text(p, parameters: parameters))).text) }
        let together = try await withThrowingTaskGroup(of: (Int, String).self) { group in
            for (i, p) in prompts.enumerated() {
                group.addTask { (i, try await collect(engine.generate(.text(p, parameters: parameters))).text) }
            }
            var texts = [String](repeating: "", count: prompts.count)
            for try await (i, t) in group { texts[i] = t }
            return texts
        }
        #expect(together == alone)
        #expect(alone.allSatisfy { !$0.isEmpty })
    }

    @Test func theSameSeedGivesTheSameTextWithAPreset() async throws {
        let engine = try InferenceEngine(model: model)
        defer { engine.shutDown() }
        var p = SamplingPreset.k50.parameters
        p.maxNewTokens = 24
        p.seed = 1234
        let a = try await collect(engine.generate(.text("My favourite food is", parameters: p)))
        let b = try await collect(engine.generate(.text("My favourite food is", parameters: p)))
        #expect(a.text == b.text)
        #expect(!a.text.isEmpty)
        if case .started(_, let seed) = a.events.first { #expect(seed == 1234) }
    }

    @Test func aStopSequenceEndsTheTextAndIsNotStreamed() async throws {
        let engine = try InferenceEngine(model: model)
        defer { engine.shutDown() }
        let prompt = "The capital of France is"
        let free = try await collect(engine.generate(.text(prompt, parameters: .greedy(maxNewTokens: 16)))).text
        guard let range = free.range(of: "France") else {
            Issue.record("the greedy continuation no longer mentions France: \(free)")
            return
        }
        var p = SamplingParameters.greedy(maxNewTokens: 16)
        p.stop = ["France"]
        let stopped = try await collect(engine.generate(.text(prompt, parameters: p)))
        #expect(stopped.text == String(free[..<range.lowerBound]))
        #expect(stopped.reason == .stop)
    }

    @Test func aChatWithTheBaseModelIsATranscriptThatEndsAtTheTurn() async throws {
        let engine = try InferenceEngine(model: model)
        defer { engine.shutDown() }
        #expect(engine.chatFormat == .transcript)
        let result = try await collect(engine.generate(.chat([.user("What is the capital of France?")], parameters: .greedy(maxNewTokens: 48))))
        #expect(result.text.contains("Paris"))
        #expect(result.reason == .stop)
        #expect(!result.text.contains("User:"))
        // The Gemma turn format can still be asked for; its control tokens never reach the text.
        let gemma = try await collect(engine.generate(.chat([.user("Hi")], parameters: .greedy(maxNewTokens: 24), format: .gemma)))
        #expect(!gemma.text.contains("<end_of_turn>"))
        #expect(!gemma.text.contains("<start_of_turn>"))
    }

    @Test func cancellingFreesTheSlotAtOnce() async throws {
        let engine = try InferenceEngine(model: model, configuration: .init(maxConcurrent: 1, maxQueued: 4, contextLength: 512))
        defer { engine.shutDown() }
        var endless = SamplingParameters.greedy(maxNewTokens: 400)
        endless.ignoresEndOfGeneration = true
        let first = Task {
            var tokens = 0
            for try await event in engine.generate(.text("Count with me: one, two,", parameters: endless)) {
                if case .token = event { tokens += 1 }
                if tokens == 2 { break }  // leaving the loop drops the stream: the consumer is gone
            }
            return tokens
        }
        #expect(try await first.value == 2)
        // The engine notices between two steps; wait for that without a clock.
        while engine.status.running > 0 { try await Task.sleep(for: .milliseconds(10)) }
        #expect(engine.status.kvCacheBytes == 0)
        // The slot is free: the next request starts without queueing.
        let next = try await collect(engine.generate(.text("Hello", parameters: .greedy(maxNewTokens: 2))))
        guard case .started = next.events.first else {
            Issue.record("expected to start at once, got \(next.events.first as Any)")
            return
        }
        #expect(next.reason == .length)
    }

    @Test func aFullQueueAnswersBusyAndReportsPositions() async throws {
        let engine = try InferenceEngine(model: model, configuration: .init(maxConcurrent: 1, maxQueued: 1, contextLength: 512))
        defer { engine.shutDown() }
        var endless = SamplingParameters.greedy(maxNewTokens: 400)
        endless.ignoresEndOfGeneration = true
        var running = engine.generate(.text("One", parameters: endless)).makeAsyncIterator()
        guard case .started = try await running.next() else { Issue.record("first request did not start"); return }

        var waiting = engine.generate(.text("Two", parameters: .greedy(maxNewTokens: 2))).makeAsyncIterator()
        #expect(try await waiting.next() == .queued(position: 1))

        var refused = engine.generate(.text("Three", parameters: .greedy(maxNewTokens: 2))).makeAsyncIterator()
        await #expect(throws: GenerationError.busy(queued: 1)) { _ = try await refused.next() }
        #expect(engine.status.queued == 1)
        _ = running  // dropped at the end of the test, which cancels it
    }

    @Test func aPromptLongerThanTheContextIsAClearError() async throws {
        let engine = try InferenceEngine(model: model, configuration: .init(contextLength: 64))
        defer { engine.shutDown() }
        let long = String(repeating: "The quick brown fox jumps over the lazy dog. ", count: 20)
        do {
            _ = try await collect(engine.generate(.text(long, parameters: .greedy(maxNewTokens: 4))))
            Issue.record("an overlong prompt was accepted")
        } catch GenerationError.promptTooLong(let tokens, let limit) {
            #expect(tokens > 64)
            #expect(limit == 63)
        }
        // A chat is truncated to fit instead: the newest message's end survives.
        let chat = try await collect(engine.generate(.chat([.system("Be brief."), .user(long + "Why?")], parameters: .greedy(maxNewTokens: 4))))
        guard case .started(let n, _) = chat.events.first else { Issue.record("chat did not start"); return }
        #expect(n <= 64 - 4)
        #expect(chat.reason != nil)
    }

    @Test func generationStopsWhenTheContextIsFull() async throws {
        let engine = try InferenceEngine(model: model, configuration: .init(contextLength: 16))
        defer { engine.shutDown() }
        var p = SamplingParameters.greedy(maxNewTokens: 100)
        p.ignoresEndOfGeneration = true
        let result = try await collect(engine.generate(.text("The capital of France is", parameters: p)))
        #expect(result.reason == .length)
        // The last token is streamed but never needs a place in the cache.
        #expect(result.usage?.completionTokens == 16 - 6 + 1)
    }
}
