/// Hyperparameters of a transformer, read from `<architecture>.*` GGUF metadata.
struct ModelConfig: Sendable {
    enum Family: Sendable { case gemma3, llama }

    let family: Family
    let architecture: String
    let embeddingLength: Int
    let layerCount: Int
    let feedForwardLength: Int
    let heads: Int
    let kvHeads: Int
    let headDim: Int
    let valueDim: Int
    let contextLength: Int
    let vocabularySize: Int
    let rmsEpsilon: Float
    let ropeBase: Float
    /// Gemma 3's sliding-window layers use their own rope base.
    let ropeBaseLocal: Float
    /// Rope "NEOX" style rotates the two halves of a head; "normal" style rotates adjacent pairs.
    let ropeNeox: Bool
    /// Dimensions rotated by rope (the whole head unless `rope.dimension_count` says otherwise).
    let ropeDims: Int
    let ropeScale: Float
    /// 0 when every layer is global.
    let slidingWindow: Int
    /// Per layer: whether it attends through the sliding window. Gemma 3 makes every sixth layer global,
    /// unless `attention.sliding_window_pattern` gives another period or a per-layer list.
    let slidingLayers: [Bool]
    let queryScale: Float
    let embeddingScale: Float

    func isSliding(layer: Int) -> Bool { slidingWindow > 0 && slidingLayers[layer] }

    init(file: GGUFFile, architecture: String, vocabularySize: Int) throws {
        let a = architecture
        switch a {
        case "gemma3": family = .gemma3
        case "llama", "qwen2", "smollm", "mistral": family = .llama
        default: throw InferenceError.unsupportedArchitecture(a)
        }
        self.architecture = a
        embeddingLength = try file.int("\(a).embedding_length")
        layerCount = try file.int("\(a).block_count")
        feedForwardLength = try ModelConfig.firstInt(file, "\(a).feed_forward_length")
        heads = try ModelConfig.firstInt(file, "\(a).attention.head_count")
        kvHeads = (try? ModelConfig.firstInt(file, "\(a).attention.head_count_kv")) ?? heads
        guard heads > 0, kvHeads > 0, heads % kvHeads == 0 else {
            throw InferenceError.invalidMetadata(key: "\(a).attention.head_count_kv", reason: "\(heads) heads cannot share \(kvHeads) KV heads")
        }
        headDim = file.optionalInt("\(a).attention.key_length") ?? embeddingLength / heads
        valueDim = file.optionalInt("\(a).attention.value_length") ?? headDim
        guard valueDim == headDim else {
            throw InferenceError.invalidMetadata(key: "\(a).attention.value_length", reason: "must equal key_length")
        }
        contextLength = try file.int("\(a).context_length")
        self.vocabularySize = vocabularySize
        rmsEpsilon = Float(file.optionalDouble("\(a).attention.layer_norm_rms_epsilon") ?? 1e-5)
        ropeScale = {
            if let f = file.optionalDouble("\(a).rope.scaling.factor"), f > 0,
               file.optionalString("\(a).rope.scaling.type") == "linear" { return Float(1 / f) }
            return 1
        }()
        ropeDims = file.optionalInt("\(a).rope.dimension_count") ?? headDim
        switch family {
        case .gemma3:
            ropeBase = Float(file.optionalDouble("\(a).rope.freq_base") ?? 1_000_000)
            ropeBaseLocal = Float(file.optionalDouble("\(a).rope.freq_base_swa") ?? 10_000)
            ropeNeox = true
            slidingWindow = file.optionalInt("\(a).attention.sliding_window") ?? 0
            let n = layerCount
            if let flags = file.metadata["\(a).attention.sliding_window_pattern"]?.array, flags.count >= n {
                slidingLayers = flags.prefix(n).map { $0.bool ?? ($0.int ?? 0 != 0) }
            } else {
                let period = file.optionalInt("\(a).attention.sliding_window_pattern") ?? 6
                slidingLayers = (0..<n).map { period == 0 || $0 % period < period - 1 }
            }
            queryScale = 1 / Float(headDim).squareRoot()
            embeddingScale = Float(embeddingLength).squareRoot()
        case .llama:
            ropeBase = Float(file.optionalDouble("\(a).rope.freq_base") ?? 10_000)
            ropeBaseLocal = ropeBase
            ropeNeox = a == "qwen2"
            slidingWindow = 0
            slidingLayers = Array(repeating: false, count: layerCount)
            queryScale = 1 / Float(headDim).squareRoot()
            embeddingScale = 1
        }
        guard ropeDims <= headDim, ropeDims % 2 == 0 else {
            throw InferenceError.invalidMetadata(key: "\(a).rope.dimension_count", reason: "\(ropeDims) does not fit head size \(headDim)")
        }
    }

    /// Some keys may be per-layer arrays; the first entry is used (all layers are alike here).
    private static func firstInt(_ file: GGUFFile, _ key: String) throws -> Int {
        guard let v = file.metadata[key] else { throw InferenceError.missingMetadata(key: key) }
        if let i = v.int { return i }
        if let a = v.array, let i = a.first?.int { return i }
        throw InferenceError.invalidMetadata(key: key, reason: "expected an integer")
    }
}
