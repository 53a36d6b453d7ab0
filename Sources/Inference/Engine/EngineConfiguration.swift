/// Limits of the local engine. The defaults suit the default 270M model on a small machine.
public struct EngineConfiguration: Sendable {
    /// Sequences generating at once; they advance together, one batched model call per step.
    public var maxConcurrent: Int
    /// Requests allowed to wait for a slot; one more is refused with `GenerationError.busy`.
    public var maxQueued: Int
    /// Longest sequence (prompt + reply) in tokens; nil means the model's training context.
    public var contextLength: Int?
    /// Memory for all KV caches together, in bytes. A request waits until its cache fits.
    public var kvCacheBytes: Int
    /// Prompt tokens processed per step, shared by all sequences still reading their prompt, so a long
    /// prompt delays the others' next token by one chunk at most.
    public var prefillChunk: Int
    /// The chat format for `.chat` requests that name none; nil detects it from the model.
    public var chatFormat: ChatFormat?

    public init(
        maxConcurrent: Int = 8, maxQueued: Int = 32, contextLength: Int? = 4096,
        kvCacheBytes: Int = 1 << 30, prefillChunk: Int = 256, chatFormat: ChatFormat? = nil
    ) {
        self.maxConcurrent = maxConcurrent
        self.maxQueued = maxQueued
        self.contextLength = contextLength
        self.kvCacheBytes = kvCacheBytes
        self.prefillChunk = prefillChunk
        self.chatFormat = chatFormat
    }
}
