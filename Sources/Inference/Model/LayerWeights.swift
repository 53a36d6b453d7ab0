/// The tensors of one transformer block, as named in GGUF files (`blk.N.*`).
struct LayerWeights: @unchecked Sendable {
    let attentionNorm: UnsafePointer<Float>
    let query: WeightMatrix
    let key: WeightMatrix
    let value: WeightMatrix
    let output: WeightMatrix
    let queryBias: UnsafePointer<Float>?
    let keyBias: UnsafePointer<Float>?
    let valueBias: UnsafePointer<Float>?
    let outputBias: UnsafePointer<Float>?
    /// Gemma 3: RMSNorm weights applied to every query/key head.
    let queryNorm: UnsafePointer<Float>?
    let keyNorm: UnsafePointer<Float>?
    /// Gemma 3's sandwich norms after attention and after the feed-forward block.
    let postAttentionNorm: UnsafePointer<Float>?
    let ffnNorm: UnsafePointer<Float>
    let gate: WeightMatrix
    let up: WeightMatrix
    let down: WeightMatrix
    let postFFNNorm: UnsafePointer<Float>?

    init(file: GGUFFile, layer i: Int, config c: ModelConfig) throws {
        let p = "blk.\(i)."
        let d = c.embeddingLength
        let qWidth = c.heads * c.headDim, kvWidth = c.kvHeads * c.headDim
        func vector(_ name: String, _ n: Int, required: Bool = true) throws -> UnsafePointer<Float>? {
            guard let info = file.tensors[p + name] else {
                if required { throw InferenceError.missingTensor(name: p + name) }
                return nil
            }
            guard info.type == .f32, info.elementCount == n else {
                throw InferenceError.tensorShapeMismatch(name: p + name, expected: [n], found: info.dims)
            }
            return file.data(of: info).assumingMemoryBound(to: Float.self)
        }
        attentionNorm = try vector("attn_norm.weight", d)!
        query = try WeightMatrix(file: file, name: p + "attn_q.weight", columns: d, rows: qWidth)
        key = try WeightMatrix(file: file, name: p + "attn_k.weight", columns: d, rows: kvWidth)
        value = try WeightMatrix(file: file, name: p + "attn_v.weight", columns: d, rows: kvWidth)
        output = try WeightMatrix(file: file, name: p + "attn_output.weight", columns: qWidth, rows: d)
        queryBias = try vector("attn_q.bias", qWidth, required: false)
        keyBias = try vector("attn_k.bias", kvWidth, required: false)
        valueBias = try vector("attn_v.bias", kvWidth, required: false)
        outputBias = try vector("attn_output.bias", d, required: false)
        let gemma = c.family == .gemma3
        queryNorm = try vector("attn_q_norm.weight", c.headDim, required: gemma)
        keyNorm = try vector("attn_k_norm.weight", c.headDim, required: gemma)
        postAttentionNorm = try vector("post_attention_norm.weight", d, required: gemma)
        ffnNorm = try vector("ffn_norm.weight", d)!
        gate = try WeightMatrix(file: file, name: p + "ffn_gate.weight", columns: d, rows: c.feedForwardLength)
        up = try WeightMatrix(file: file, name: p + "ffn_up.weight", columns: d, rows: c.feedForwardLength)
        down = try WeightMatrix(file: file, name: p + "ffn_down.weight", columns: c.feedForwardLength, rows: d)
        postFFNNorm = try vector("post_ffw_norm.weight", d, required: gemma)
    }
}
