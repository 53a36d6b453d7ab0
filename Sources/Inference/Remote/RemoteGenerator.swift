import AsyncHTTPClient
import Foundation

/// A `TextGenerator` backed by an OpenAI-compatible server (llama.cpp server, vLLM,
/// text-generation-inference): a deployment moves generation to a GPU cluster by setting
/// `OASST_INFERENCE_URL`. The server applies the model's chat template, so chats are sent as messages.
public final class RemoteGenerator: TextGenerator {
    /// The server's base URL without `/v1`, e.g. `http://127.0.0.1:8000`.
    public let baseURL: String
    /// The model name sent with each request (servers with one model usually ignore it).
    public let modelName: String
    private let apiKey: String?
    private let client: HTTPClient
    private let timeout: Duration

    public init(baseURL: String, model: String, apiKey: String? = nil, httpClient: HTTPClient = .shared, timeout: Duration = .seconds(600)) {
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        if base.hasSuffix("/v1") { base.removeLast(3) }
        self.baseURL = base
        self.modelName = model
        self.apiKey = apiKey
        self.client = httpClient
        self.timeout = timeout
    }

    public func generate(_ request: GenerationRequest) -> AsyncThrowingStream<GenerationEvent, Error> {
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: GenerationEvent.self, throwing: Error.self)
        let task = Task { [self] in
            do {
                try await run(request, continuation)
                continuation.finish()
            } catch is CancellationError {
                continuation.finish()
            } catch let error as GenerationError {
                continuation.finish(throwing: error)
            } catch {
                continuation.finish(throwing: Task.isCancelled ? CancellationError() : GenerationError.remote(status: nil, message: "\(error)"))
            }
        }
        continuation.onTermination = { termination in
            if case .cancelled = termination { task.cancel() }
        }
        return stream
    }

    private func run(_ request: GenerationRequest, _ out: AsyncThrowingStream<GenerationEvent, Error>.Continuation) async throws {
        let p = request.parameters
        if let problem = p.problem { throw GenerationError.invalidParameters(problem) }
        let seed = p.seed ?? UInt64.random(in: 0...UInt64(Int64.max))
        let isChat: Bool
        if case .chat = request.input { isChat = true } else { isChat = false }
        let body = OpenAIProtocol.Request(model: modelName, input: request.input, parameters: p, seed: seed)

        var http = HTTPClientRequest(url: baseURL + (isChat ? "/v1/chat/completions" : "/v1/completions"))
        http.method = .POST
        http.headers.add(name: "Content-Type", value: "application/json")
        http.headers.add(name: "Accept", value: "text/event-stream")
        if let apiKey { http.headers.add(name: "Authorization", value: "Bearer \(apiKey)") }
        http.body = .bytes(Array(try JSONEncoder().encode(body)))

        let started = ContinuousClock.now
        let response = try await client.execute(http, timeout: .seconds(timeout.components.seconds))
        guard response.status.code == 200 else {
            var text = ""
            for try await buffer in response.body {
                text += String(decoding: buffer.readableBytesView, as: UTF8.self)
                if text.utf8.count > 16_384 { break }
            }
            let status = Int(response.status.code)
            if status == 429 || status == 503 { throw GenerationError.busy(queued: 0) }
            throw GenerationError.remote(status: status, message: Self.errorMessage(text))
        }
        out.yield(.started(promptTokens: 0, seed: seed))

        var parser = ServerSentEventParser()
        var filter = StopSequenceFilter(p.stop)
        var usage = GenerationUsage()
        var reason = FinishReason.length
        var chunks = 0
        var firstToken: ContinuousClock.Instant?
        var done = false

        func handle(_ event: ServerSentEvent) throws {
            guard !done else { return }
            if event.data == "[DONE]" { done = true; return }
            guard let chunk = try? JSONDecoder().decode(OpenAIProtocol.Chunk.self, from: Data(event.data.utf8)) else {
                throw GenerationError.remote(status: 200, message: "unreadable stream event: \(event.data.prefix(200))")
            }
            if let e = chunk.error { throw GenerationError.remote(status: 200, message: e.message ?? "error event") }
            if let u = chunk.usage {
                usage.promptTokens = u.promptTokens ?? usage.promptTokens
                usage.completionTokens = u.completionTokens ?? usage.completionTokens
            }
            for choice in chunk.choices ?? [] {
                if let text = choice.delta?.content ?? choice.text, !text.isEmpty, !filter.isStopped {
                    chunks += 1
                    if firstToken == nil { firstToken = .now }
                    let shown = filter.push(text)
                    if !shown.isEmpty { out.yield(.token(text: shown, id: nil)) }
                }
                if let r = choice.finishReason { reason = r == "length" ? .length : .stop }
            }
            if filter.isStopped { reason = .stop }
        }

        for try await buffer in response.body {
            for event in parser.push(buffer.readableBytesView) { try handle(event) }
            if done { break }
        }
        if let last = parser.finish() { try handle(last) }
        try Task.checkCancellation()
        let rest = filter.finish()
        if !rest.isEmpty { out.yield(.token(text: rest, id: nil)) }
        let now = ContinuousClock.now
        if usage.completionTokens == 0 { usage.completionTokens = chunks }
        usage.promptSeconds = ((firstToken ?? now) - started).seconds
        usage.generationSeconds = firstToken.map { (now - $0).seconds } ?? 0
        out.yield(.finished(reason: reason, usage: usage))
    }

    /// The `error.message` of an OpenAI-style error body, or the body itself.
    static func errorMessage(_ body: String) -> String {
        struct Body: Decodable {
            struct E: Decodable { var message: String? }
            var error: E?
            var message: String?
        }
        if let b = try? JSONDecoder().decode(Body.self, from: Data(body.utf8)), let m = b.error?.message ?? b.message { return m }
        return body.isEmpty ? "no details" : String(body.prefix(500))
    }
}
