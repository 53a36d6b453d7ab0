/// The KV cache of one sequence: the keys and values of every token it has seen, per layer.
///
/// Owned by one caller at a time (the engine); `LanguageModel.evaluate` appends to it.
public final class SequenceState: @unchecked Sendable {
    /// Tokens in the cache.
    public private(set) var count: Int = 0
    /// Maximum number of tokens this cache can hold.
    public let capacity: Int
    /// Per layer: keys then values, each `capacity × kvWidth` fp16 values (their bit patterns), row per
    /// position. llama.cpp's cache is fp16 too, and the values are rounded to fp16 before they are stored, so
    /// keeping them as floats only doubled the memory a step reads.
    let keys: [UnsafeMutablePointer<UInt16>]
    let values: [UnsafeMutablePointer<UInt16>]
    let kvWidth: Int

    init(config: ModelConfig, capacity: Int) {
        self.capacity = capacity
        self.kvWidth = config.kvHeads * config.headDim
        let n = capacity * kvWidth
        keys = (0..<config.layerCount).map { _ in
            let p = UnsafeMutablePointer<UInt16>.allocate(capacity: n); p.initialize(repeating: 0, count: n); return p
        }
        values = (0..<config.layerCount).map { _ in
            let p = UnsafeMutablePointer<UInt16>.allocate(capacity: n); p.initialize(repeating: 0, count: n); return p
        }
    }

    deinit {
        for p in keys { p.deallocate() }
        for p in values { p.deallocate() }
    }

    /// Forgets every token; the memory is kept for reuse.
    public func reset() { count = 0 }

    /// Keeps only the first `n` tokens (for example to reuse a shared prompt prefix).
    public func truncate(to n: Int) { count = max(0, min(n, count)) }

    /// Bytes held by this cache.
    public var memoryBytes: Int { 2 * keys.count * capacity * kvWidth * MemoryLayout<UInt16>.size }

    func advance(by n: Int) { count += n }
}
