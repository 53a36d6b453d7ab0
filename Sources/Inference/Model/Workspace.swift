/// Scratch memory of a forward pass, sized for the largest chunk seen so far.
final class Workspace: @unchecked Sendable {
    static let queryBlock = 64
    static let dequantRows = 128

    let config: ModelConfig
    let threads: Int
    private(set) var capacity = 0
    var x: UnsafeMutablePointer<Float> = .allocate(capacity: 1)
    var xb: UnsafeMutablePointer<Float> = .allocate(capacity: 1)
    var q: UnsafeMutablePointer<Float> = .allocate(capacity: 1)
    var k: UnsafeMutablePointer<Float> = .allocate(capacity: 1)
    var v: UnsafeMutablePointer<Float> = .allocate(capacity: 1)
    var attn: UnsafeMutablePointer<Float> = .allocate(capacity: 1)
    var gate: UnsafeMutablePointer<Float> = .allocate(capacity: 1)
    var up: UnsafeMutablePointer<Float> = .allocate(capacity: 1)
    /// Per RoPE base and row: the cosines and sines of the rotary angles.
    var ropeCos: UnsafeMutablePointer<Float> = .allocate(capacity: 1)
    var ropeSin: UnsafeMutablePointer<Float> = .allocate(capacity: 1)
    var activations = QuantizedActivations(capacity: 1)
    var promptActivations = PromptActivations(capacity: 1)
    /// Per thread: expanded weight rows for sgemm, and attention scores.
    let dequant: [UnsafeMutablePointer<Float>]
    /// Per thread: weight rows unpacked for the integer prompt kernel.
    let panels: [WeightPanel]
    let scores: [UnsafeMutablePointer<Float>]
    /// Per thread: one head's cached keys and values expanded to floats for a prompt chunk's sgemm (the cache
    /// holds fp16). Pages are touched only as far as a sequence reaches.
    let expandedKeys: [UnsafeMutablePointer<Float>]
    let expandedValues: [UnsafeMutablePointer<Float>]

    init(config c: ModelConfig, threads: Int) {
        config = c
        self.threads = threads
        let widest = max(c.embeddingLength, c.feedForwardLength, c.heads * c.headDim)
        dequant = (0..<threads).map { _ in .allocate(capacity: Workspace.dequantRows * widest) }
        panels = (0..<threads).map { _ in WeightPanel(maxColumns: widest) }
        scores = (0..<threads).map { _ in .allocate(capacity: Workspace.queryBlock * c.contextLength) }
        expandedKeys = (0..<threads).map { _ in .allocate(capacity: c.contextLength * c.headDim) }
        expandedValues = (0..<threads).map { _ in .allocate(capacity: c.contextLength * c.headDim) }
    }

    /// Makes every buffer large enough for `rows` rows.
    func reserve(rows: Int) {
        guard rows > capacity else { return }
        let c = config
        for p in [x, xb, q, k, v, attn, gate, up, ropeCos, ropeSin] { p.deallocate() }
        activations.deallocate()
        promptActivations.deallocate()
        let wide = max(c.embeddingLength, c.heads * c.headDim)
        x = .allocate(capacity: rows * c.embeddingLength)
        xb = .allocate(capacity: rows * wide)
        q = .allocate(capacity: rows * c.heads * c.headDim)
        k = .allocate(capacity: rows * c.kvHeads * c.headDim)
        v = .allocate(capacity: rows * c.kvHeads * c.headDim)
        attn = .allocate(capacity: rows * c.heads * c.headDim)
        gate = .allocate(capacity: rows * c.feedForwardLength)
        up = .allocate(capacity: rows * c.feedForwardLength)
        ropeCos = .allocate(capacity: 2 * rows * c.ropeDims / 2)
        ropeSin = .allocate(capacity: 2 * rows * c.ropeDims / 2)
        activations = QuantizedActivations(capacity: rows * max(wide, c.feedForwardLength))
        promptActivations = PromptActivations(capacity: rows * max(wide, c.feedForwardLength))
        capacity = rows
    }
}
