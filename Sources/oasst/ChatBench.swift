import ArgumentParser
import AsyncHTTPClient
import Foundation
import Inference
import Logging
import NIOCore
import NIOHTTP1
import Storage
import Web

/// `oasst bench chat`: concurrent streamed chats over HTTP against the engine's own batched throughput.
/// Both sides generate the same number of tokens from the same prompts on one loaded model, so the
/// ratio is what the web layer (queue, event log, SSE) costs.
struct ChatBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chat",
        abstract: "Streamed chats over HTTP (SSE) against the engine alone: time to first token and aggregate tokens/s."
    )

    @Option(help: "Concurrent chats.") var chats = 16
    @Option(help: "Tokens per reply (end-of-generation is ignored, so every reply is this long).") var tokens = 64
    @Option(help: "Path of the GGUF model; defaults to OASST_MODEL.") var model: String?
    @Option(help: "Repetitions of each side; the best is reported.") var repetitions = 2

    func run() async throws {
        var logger = Logger(label: "oasst.bench")
        logger.logLevel = .error
        let configuration = try Console.configuration()
        let path = model ?? configuration.modelPath
        let engine = try InferenceEngine.load(path: path, configuration: .init(maxConcurrent: chats, maxQueued: chats * 2, contextLength: 512))
        let prompts = (0..<chats).map { "Question \($0 + 1): tell me something interesting about the number \($0 + 7)." }
        let sampling = SamplingParameters(maxNewTokens: tokens, temperature: 0.7, topK: 40, seed: 1, ignoresEndOfGeneration: true)

        _ = try await engine.complete(.chat([.user("warm up")], parameters: .init(maxNewTokens: 4, temperature: 0)))
        var engineRates: [Double] = []
        for _ in 0..<repetitions {
            let started = ContinuousClock.now
            let generated = try await withThrowingTaskGroup(of: Int.self) { group in
                for prompt in prompts {
                    group.addTask { try await engine.complete(.chat([.user(prompt)], parameters: sampling)).usage.completionTokens }
                }
                return try await group.reduce(0, +)
            }
            engineRates.append(Double(generated) / Self.seconds(started.duration(to: .now)))
        }

        try await TemporaryDatabase.with(server: configuration.databaseURL, migrationsFolder: configuration.resourceRoot.appendingPathComponent("migrations"), logger: logger) { database in
            var keys: [String] = []
            for index in 0..<chats {
                let user = try await UserStore(database: database).findOrCreate(email: "chat-bench\(index)@bench.example")
                keys.append(try await APIKeyStore(database: database).create(userID: user.id, name: "bench").secret)
            }
            var server = configuration
            server.host = "127.0.0.1"
            server.port = Int.random(in: 20_000..<40_000)
            server.databaseURL = database.url
            server.chatLimits.maxNewTokens = tokens
            server.chatLimits.repliesPerWindow = 1_000_000
            let app = try await WebApplication.build(configuration: server, database: database, logger: logger, runsDatabaseClient: false, generator: engine)
            let base = "http://127.0.0.1:\(server.port)"
            let apiKeys = keys
            try await BenchServer.serving(app, logger: logger) {
                var clientConfiguration = HTTPClient.Configuration()
                // One connection per stream: the default pool holds eight per host and would queue the rest.
                clientConfiguration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: chats * 2)
                let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: clientConfiguration)
                defer { _ = client.shutdown() }
                var best: (rate: Double, firstTokens: [Double])?
                for _ in 0..<repetitions {
                    let before = try await ChatEventLog(database: database).completionTokensWritten()
                    let started = ContinuousClock.now
                    let results = try await withThrowingTaskGroup(of: (Double, Int).self) { streams in
                        for (index, prompt) in prompts.enumerated() {
                            streams.addTask {
                                try await Self.stream(client: client, base: base, key: apiKeys[index], model: engine.modelName, prompt: prompt, tokens: tokens)
                            }
                        }
                        return try await streams.reduce(into: [(Double, Int)]()) { $0.append($1) }
                    }
                    let seconds = Self.seconds(started.duration(to: .now))
                    let rate = Double(try await ChatEventLog(database: database).completionTokensWritten() - before) / seconds
                    if best == nil || rate > best!.rate { best = (rate, results.map(\.0)) }
                }
                let firstTokens = (best?.firstTokens ?? []).sorted()
                func percentile(_ p: Double) -> Double { firstTokens.isEmpty ? 0 : firstTokens[min(firstTokens.count - 1, Int(Double(firstTokens.count - 1) * p))] }
                let engineRate = engineRates.max() ?? 0
                let httpRate = best?.rate ?? 0
                print("chats=\(chats) tokens=\(tokens) model=\(engine.modelName)")
                print(String(format: "time to first token: p50 %.0f ms, p99 %.0f ms", percentile(0.5), percentile(0.99)))
                print(String(format: "aggregate over HTTP/SSE: %.1f tokens/s", httpRate))
                print(String(format: "engine alone, batched:  %.1f tokens/s", engineRate))
                print(String(format: "ratio: %.2f (target >= 0.90)", engineRate > 0 ? httpRate / engineRate : 0))
            }
        }
        engine.shutDown()
    }

    /// One streamed completion; returns milliseconds to the first text and the number of chunks with text.
    static func stream(client: HTTPClient, base: String, key: String, model: String, prompt: String, tokens: Int) async throws -> (Double, Int) {
        var request = HTTPClientRequest(url: base + "/v1/chat/completions")
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer \(key)")
        request.headers.add(name: "Content-Type", value: "application/json")
        let body: [String: Any] = [
            "model": model, "stream": true, "max_tokens": tokens, "ignore_eos": true, "temperature": 0.7, "top_k": 40, "seed": 1,
            "messages": [["role": "user", "content": prompt]],
        ]
        request.body = .bytes(ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: body)))
        let started = ContinuousClock.now
        let response = try await client.execute(request, timeout: .seconds(600))
        guard response.status == .ok else { throw Console.Failure("the chat endpoint answered \(response.status)") }
        var firstText: Double?
        var chunks = 0
        var pending = ""
        for try await buffer in response.body {
            pending += String(buffer: buffer)
            while let end = pending.range(of: "\n\n") {
                let event = String(pending[..<end.lowerBound])
                pending.removeSubrange(..<end.upperBound)
                if event.contains("\"content\":\""), !event.contains("\"content\":\"\"") {
                    chunks += 1
                    if firstText == nil { firstText = seconds(started.duration(to: .now)) * 1000 }
                }
            }
        }
        return (firstText ?? 0, chunks)
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
