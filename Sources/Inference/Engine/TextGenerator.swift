/// Anything that turns a request into a stream of generated text: the local engine, or a remote
/// OpenAI-compatible server. The chat, the task generator and the reward model code against this.
public protocol TextGenerator: Sendable {
    /// The model's name, for display and for what is stored with each generated message.
    var modelName: String { get }

    /// Starts generating. The stream yields `.queued` while the request waits, `.started` once, then
    /// `.token` events, and ends with `.finished` (or throws a `GenerationError`).
    /// Cancelling the consuming task, or dropping the iterator, stops generation and frees its slot.
    func generate(_ request: GenerationRequest) -> AsyncThrowingStream<GenerationEvent, Error>
}
