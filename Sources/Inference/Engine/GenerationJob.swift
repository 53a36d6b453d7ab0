/// A request on its way through the engine: the caller's stream and what the scheduler knows of it.
///
/// `isCancelled`, `reportedPosition` are guarded by the scheduler's lock; the rest is set once.
final class GenerationJob: @unchecked Sendable {
    let request: GenerationRequest
    let continuation: AsyncThrowingStream<GenerationEvent, Error>.Continuation
    let submitted = ContinuousClock.now
    var isCancelled = false
    var reportedPosition = 0

    init(request: GenerationRequest, continuation: AsyncThrowingStream<GenerationEvent, Error>.Continuation) {
        self.request = request
        self.continuation = continuation
    }
}

extension Duration {
    /// The duration in seconds as a Double.
    var seconds: Double {
        let c = components
        return Double(c.seconds) + Double(c.attoseconds) * 1e-18
    }
}
