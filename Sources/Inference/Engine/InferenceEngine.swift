import Foundation

/// The local generation engine: one loaded model serving every caller through continuous batching.
///
/// `generate` never blocks: it queues the request and returns its stream. A dedicated thread runs the
/// model (see `BatchScheduler`), so Swift's cooperative threads stay free for the web server.
public final class InferenceEngine: TextGenerator, @unchecked Sendable {
    /// The model, when it is a real one (always, outside tests).
    public var model: LanguageModel? { batchModel as? LanguageModel }
    private let batchModel: any BatchModel
    public let configuration: EngineConfiguration
    /// The format `.chat` requests get unless they name one.
    public var chatFormat: ChatFormat { scheduler.defaultFormat }
    /// Most tokens one sequence (prompt and reply) may hold.
    public var sequenceLimit: Int { scheduler.sequenceLimit }
    public var modelName: String { batchModel.name }
    public var status: EngineStatus { scheduler.status }

    private let scheduler: BatchScheduler

    public convenience init(model: LanguageModel, configuration: EngineConfiguration = .init()) throws {
        try self.init(batchModel: model, configuration: configuration)
    }

    init(batchModel: any BatchModel, configuration: EngineConfiguration) throws {
        self.batchModel = batchModel
        self.configuration = configuration
        let scheduler = try BatchScheduler(model: batchModel, configuration: configuration)
        self.scheduler = scheduler
        let thread = Thread { scheduler.run() }
        thread.name = "inference"
        thread.stackSize = 8 << 20
        thread.start()
    }

    /// Loads the GGUF file at `path` and starts an engine on it.
    public static func load(path: String, threads: Int = 0, configuration: EngineConfiguration = .init()) throws -> InferenceEngine {
        try InferenceEngine(model: LanguageModel.load(path: path, threads: threads), configuration: configuration)
    }

    deinit { scheduler.shutDown() }

    public func generate(_ request: GenerationRequest) -> AsyncThrowingStream<GenerationEvent, Error> {
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: GenerationEvent.self, throwing: Error.self)
        let job = GenerationJob(request: request, continuation: continuation)
        let scheduler = self.scheduler
        continuation.onTermination = { termination in
            // `.finished` is the engine's own doing; only a consumer that left needs the slot freed.
            if case .cancelled = termination { scheduler.cancel(job) }
        }
        scheduler.submit(job)
        return stream
    }

    /// Stops the engine: running and waiting requests end with `GenerationError.shutDown`.
    public func shutDown() { scheduler.shutDown() }
}
