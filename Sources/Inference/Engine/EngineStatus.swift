/// A snapshot of the engine's load, for status pages and metrics.
public struct EngineStatus: Sendable, Hashable {
    /// Sequences holding a slot (reading their prompt or generating).
    public var running: Int
    /// Requests waiting for a slot.
    public var queued: Int
    /// Bytes held by the running sequences' KV caches.
    public var kvCacheBytes: Int
}
