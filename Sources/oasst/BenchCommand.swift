import ArgumentParser
import Foundation
import Inference

/// `oasst bench`: measurements that `scripts/bench` compares with the peers.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmarks (scripts/bench runs them against the peers).",
        subcommands: [InferenceBench.self, TasksBench.self, ChatBench.self, LeaderboardBench.self, DatasetBench.self])

    struct InferenceBench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "inference",
            abstract: "Prompt processing, single-stream decode and batched decode speed, and peak memory.",
            discussion: "The prompt is the fixed English paragraph of the llama.cpp reference measurement, so the figures compare with scripts/bench-peer/llama_bench.py.")

        @OptionGroup var model: ModelOptions
        @Option(help: "Prompt length for prompt processing.") var promptTokens = 512
        @Option(help: "Tokens decoded per measurement.") var decodeTokens = 128
        @Option(help: "Prompt length before single-stream decoding.") var decodePrompt = 128
        @Option(help: "Concurrent streams for the batched measurement.") var streams = 8
        @Option(help: "Repetitions; medians are reported.") var repetitions = 3
        @Option(help: "Comma-separated sections: pp, tg, batch.") var sections = "pp,tg,batch"
        @Flag(help: "Print one JSON object instead of a table.") var json = false

        func run() async throws {
            InferenceConsole.ensureBLASKernel()
            let wanted = Set(sections.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
            let start = ContinuousClock.now
            let lm = try model.load()
            var result: [String: Double] = ["threads": Double(lm.threads), "load_s": (ContinuousClock.now - start).bench]
            let paragraph = String(repeating: BenchText.paragraph, count: 8)
            let all = lm.tokenizer.encode(paragraph, addBOS: true, parseSpecial: false)

            // Warm-up: page the weights in and let the kernels settle.
            _ = try lm.evaluate(sequence: lm.makeSequence(capacity: 64), tokens: Array(all.prefix(16)))

            if wanted.contains("pp") {
                let prompt = Array(all.prefix(promptTokens))
                var rates: [Double] = []
                for _ in 0..<repetitions {
                    let seq = try lm.makeSequence(capacity: prompt.count + 1)
                    let t0 = ContinuousClock.now
                    _ = try lm.evaluate(sequence: seq, tokens: prompt)
                    rates.append(Double(prompt.count) / (ContinuousClock.now - t0).bench)
                }
                result["pp_tokens"] = Double(prompt.count)
                result["pp_tok_s"] = median(rates)
            }
            if wanted.contains("tg") {
                let prompt = Array(all.prefix(decodePrompt))
                var rates: [Double] = []
                for _ in 0..<repetitions {
                    let seq = try lm.makeSequence(capacity: prompt.count + decodeTokens + 1)
                    var logits = try lm.evaluate(sequence: seq, tokens: prompt)
                    var sampler = Sampler(parameters: .greedy())
                    let t0 = ContinuousClock.now
                    for _ in 0..<decodeTokens {
                        let t = sampler.sample(logits)
                        logits = try lm.evaluate(sequence: seq, tokens: [t])
                    }
                    rates.append(Double(decodeTokens) / (ContinuousClock.now - t0).bench)
                }
                result["tg_tok_s"] = median(rates)
            }
            if wanted.contains("batch") {
                let engine = try InferenceEngine(model: lm, configuration: .init(maxConcurrent: streams, maxQueued: streams, contextLength: 1024))
                defer { engine.shutDown() }
                var one: [Double] = [], many: [Double] = []
                for _ in 0..<repetitions {
                    one.append(try await decodeRate(engine, prompts: [Array(all.prefix(16))]))
                    let prompts = (0..<streams).map { i in [all[0]] + Array(all[(1 + i * 7)..<(16 + i * 7)]) }
                    many.append(try await decodeRate(engine, prompts: prompts))
                }
                result["engine_single_tok_s"] = median(one)
                result["engine_batch_tok_s"] = median(many)
                result["streams"] = Double(streams)
            }
            var usage = rusage()
            getrusage(RUSAGE_SELF.rawValue, &usage)
            result["peak_rss_kib"] = Double(usage.ru_maxrss)

            if json {
                let data = try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys])
                print(String(decoding: data, as: UTF8.self))
            } else {
                print("model      \(lm.name) (\(model.path)), \(lm.threads) thread(s), OPENBLAS_CORETYPE=\(ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] ?? "unset")")
                for key in result.keys.sorted() {
                    print(key.padding(toLength: 22, withPad: " ", startingAt: 0) + String(format: "%10.2f", result[key]!))
                }
            }
        }

        /// Aggregate generated tokens per second of `prompts` decoded together through the engine,
        /// timed from the first generated token to the last.
        func decodeRate(_ engine: InferenceEngine, prompts: [[Int32]]) async throws -> Double {
            var p = SamplingParameters.greedy(maxNewTokens: decodeTokens)
            p.ignoresEndOfGeneration = true
            let parameters = p
            let spans = try await withThrowingTaskGroup(of: (ContinuousClock.Instant?, ContinuousClock.Instant, Int).self) { group in
                for prompt in prompts {
                    group.addTask {
                        var first: ContinuousClock.Instant?
                        var count = 0
                        for try await event in engine.generate(GenerationRequest(input: .tokens(prompt), parameters: parameters)) {
                            if case .finished(_, let u) = event { count = u.completionTokens }
                            if case .token = event, first == nil { first = .now }
                        }
                        return (first, ContinuousClock.now, count)
                    }
                }
                var all: [(ContinuousClock.Instant?, ContinuousClock.Instant, Int)] = []
                for try await s in group { all.append(s) }
                return all
            }
            guard let begin = spans.compactMap(\.0).min(), let end = spans.map(\.1).max() else { return 0 }
            // The first token of each stream comes from its prompt, not from a decode step.
            let decoded = spans.reduce(0) { $0 + max(0, $1.2 - 1) }
            return Double(decoded) / (end - begin).bench
        }

        func median(_ values: [Double]) -> Double {
            let s = values.sorted()
            guard !s.isEmpty else { return 0 }
            return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
        }
    }
}

/// The benchmark text of the llama.cpp reference measurement (inference-anchor.md, appendix).
enum BenchText {
    static let paragraph = "The history of computing is a story of steady miniaturisation and of ever cheaper arithmetic. Early machines "
        + "filled entire rooms, consumed enormous amounts of power and were programmed by rewiring panels or feeding punched "
        + "cards. The invention of the transistor, and later of the integrated circuit, allowed engineers to pack millions and "
        + "then billions of switches onto a single chip of silicon. Today a phone in a pocket holds more computing power than "
        + "all the computers that existed in the middle of the twentieth century combined, and software written by small "
        + "teams can reach billions of people within days of its release. "
}

extension Duration {
    /// Seconds as a Double, for rates.
    fileprivate var bench: Double {
        let c = components
        return Double(c.seconds) + Double(c.attoseconds) * 1e-18
    }
}
