import COpenBLAS
import Foundation

/// The forward pass shared by the supported architectures: Gemma 3 (sandwich norms, q/k norms, GeGLU,
/// sliding-window layers) and the Llama family (Llama 2/3, Qwen 2 with q/k/v biases, SmolLM).
///
/// All rows of a call — one per token, of any number of sequences — go through each weight matrix
/// together, so the weights stream from memory once per call. Attention then runs per sequence.
final class Transformer: @unchecked Sendable {
    let config: ModelConfig
    let layers: [LayerWeights]
    let embedding: WeightMatrix
    let head: WeightMatrix
    /// The output matrix packed for the batched kernel, when it is Q8_0 and the CPU has AVX-512 VNNI: the
    /// largest product of every step, for one sequence as for eight.
    let headPanels: PanelMatrix?
    /// Whether the embedding is the output matrix (Gemma): its rows are then read from `headPanels`.
    let tiedEmbedding: Bool
    let outputNorm: UnsafePointer<Float>
    let ropeFactors: UnsafePointer<Float>?
    let logitSoftcap: Float
    let pool: ThreadPool
    let workspace: Workspace
    /// Whether the chunk being computed is made of prompts (panel kernel or sgemm).
    private var floatPath = false
    /// The chunk's rows, one run per sequence: sgemm multiplies each run on its own.
    private var itemRuns: [Range<Int>] = []
    /// The caller's look at each item's logits during `evaluate`.
    private var whileHot: ((Int, [Float]) -> Void)?

    /// Rows per forward chunk: long prompts are cut into chunks of this many tokens.
    static let maxChunk = 512
    // Prompt chunks (any item with more than one token) multiply each block of sixteen weight rows,
    // unpacked once, with every token of the chunk: with AVX-512 VNNI in integers on 8-bit activations
    // (`WeightPanel`), elsewhere (and for float weights) as expanded floats with sgemm. Decode steps (one
    // token per item, however many items) stream the quantized rows through the integer dot kernels.

    init(file: GGUFFile, architecture: String, threads: Int) throws {
        guard let vocab = file.metadata["tokenizer.ggml.tokens"]?.array?.count else {
            throw InferenceError.missingMetadata(key: "tokenizer.ggml.tokens")
        }
        let c = try ModelConfig(file: file, architecture: architecture, vocabularySize: vocab)
        config = c
        layers = try (0..<c.layerCount).map { try LayerWeights(file: file, layer: $0, config: c) }
        embedding = try WeightMatrix(file: file, name: "token_embd.weight", columns: c.embeddingLength, rows: vocab)
        tiedEmbedding = file.tensors["output.weight"] == nil
        head = tiedEmbedding ? embedding : try WeightMatrix(file: file, name: "output.weight", columns: c.embeddingLength, rows: vocab)
        headPanels = PanelMatrix(packing: head, mappedFrom: file.map)
        let norm = try file.tensor("output_norm.weight")
        guard norm.type == .f32, norm.elementCount == c.embeddingLength else {
            throw InferenceError.tensorShapeMismatch(name: "output_norm.weight", expected: [c.embeddingLength], found: norm.dims)
        }
        outputNorm = file.data(of: norm).assumingMemoryBound(to: Float.self)
        if let f = file.tensors["rope_freqs.weight"], f.type == .f32, f.elementCount == c.ropeDims / 2 {
            ropeFactors = file.data(of: f).assumingMemoryBound(to: Float.self)
        } else {
            ropeFactors = nil
        }
        logitSoftcap = Float(file.optionalDouble("\(architecture).final_logit_softcapping") ?? 0)
        pool = ThreadPool(threads: threads)
        workspace = Workspace(config: c, threads: pool.count)
    }

    /// One row of a chunk: which item it belongs to and at which position.
    struct Row { let item: Int; let position: Int; let token: Int32 }

    /// The logits after each item's last token. `whileHot(item, logits)` is called for each item's logits as
    /// soon as they are copied out, on whichever thread copied them, so the items' samplers run side by side.
    func evaluate(_ items: [(SequenceState, [Int32])], whileHot: ((Int, [Float]) -> Void)? = nil) -> [[Float]] {
        self.whileHot = whileHot
        defer { self.whileHot = nil }
        var results = [[Float]](repeating: [], count: items.count)
        // Decode steps (one token each) of every sequence share chunks and the integer kernels. Prompts
        // share chunks too, but only whole: a prompt longer than a chunk runs alone, cut where it would be
        // cut alone. Every kernel computes a row on its own (sgemm per sequence, see `linear`), and attention
        // runs per sequence, so a sequence's numbers never depend on what else is in the batch: a reply is
        // the same whether it was generated alone or beside others.
        let decoding = items.indices.filter { items[$0].1.count == 1 }
        let prompts = items.indices.filter { items[$0].1.count > 1 }
        evaluate(items, only: decoding, results: &results)
        var shared: [Int] = [], sharedRows = 0
        for index in prompts {
            let count = items[index].1.count
            if !shared.isEmpty && sharedRows + count > Transformer.maxChunk {
                evaluate(items, only: shared, results: &results)
                shared.removeAll()
                sharedRows = 0
            }
            shared.append(index)
            sharedRows += count
        }
        if !shared.isEmpty { evaluate(items, only: shared, results: &results) }
        return results
    }

    private func evaluate(_ items: [(SequenceState, [Int32])], only chosen: [Int], results: inout [[Float]]) {
        // Cut the flattened rows into chunks; an item may span chunks (its cache grows chunk by chunk).
        var rows: [Row] = []
        var lastRows: [(row: Int, item: Int)] = []
        var nextPosition = items.map { $0.0.count }
        func flush() {
            guard !rows.isEmpty else { return }
            var runs: [Range<Int>] = []
            var start = 0
            for r in 1...rows.count where r == rows.count || rows[r].item != rows[start].item {
                runs.append(start..<r)
                start = r
            }
            let prompt = runs.contains { $0.count > 1 }
            forward(rows, prompt: prompt, runs: runs, items: items, logitsFor: lastRows, results: &results)
            for r in rows { items[r.item].0.advance(by: 1) }
            rows.removeAll(keepingCapacity: true)
            lastRows.removeAll(keepingCapacity: true)
        }
        for i in chosen {
            let item = items[i]
            for (j, t) in item.1.enumerated() {
                if rows.count == Transformer.maxChunk { flush() }
                rows.append(Row(item: i, position: nextPosition[i], token: t))
                nextPosition[i] += 1
                if j == item.1.count - 1 { lastRows.append((rows.count - 1, i)) }
            }
        }
        flush()
    }

    // MARK: the pass over one chunk

    private func forward(_ rows: [Row], prompt: Bool, runs: [Range<Int>], items: [(SequenceState, [Int32])],
                         logitsFor lastRows: [(row: Int, item: Int)], results: inout [[Float]]) {
        let c = config, ws = workspace
        let n = rows.count, d = c.embeddingLength
        ws.reserve(rows: n)
        floatPath = prompt
        itemRuns = runs
        let x = ws.x, xb = ws.xb
        for (r, row) in rows.enumerated() {
            if tiedEmbedding, let panels = headPanels {
                panels.dequantize(row: Int(row.token), into: x + r * d)
            } else {
                Dequantize.row(embedding.type, embedding.data + Int(row.token) * embedding.rowBytes, x + r * d, count: d)
            }
            if c.embeddingScale != 1 { for i in 0..<d { x[r * d + i] *= c.embeddingScale } }
        }
        let qWidth = c.heads * c.headDim, kvWidth = c.kvHeads * c.headDim
        // Rotary angles per row for the global base ([0]) and the sliding layers' base ([1]).
        let half = c.ropeDims / 2, bases = [c.ropeBase, c.ropeBaseLocal]
        for (r, row) in rows.enumerated() {
            for (k, base) in bases.enumerated() {
                Ops.ropeAngles(dims: c.ropeDims, position: row.position, base: base, scale: c.ropeScale, factors: ropeFactors,
                               cos: ws.ropeCos + (k * n + r) * half, sin: ws.ropeSin + (k * n + r) * half)
            }
        }

        for (l, layer) in layers.enumerated() {
            eachRow(n) { r in Ops.rmsNorm(x + r * d, count: d, weight: layer.attentionNorm, epsilon: c.rmsEpsilon, output: xb + r * d) }
            linears([(layer.query, ws.q, layer.queryBias), (layer.key, ws.k, layer.keyBias), (layer.value, ws.v, layer.valueBias)],
                    xb, rows: n)

            let sliding = c.isSliding(layer: l)
            let angles = sliding ? 1 : 0
            eachRow(n) { r in
                let row = rows[r]
                let cos = ws.ropeCos + (angles * n + r) * half, sin = ws.ropeSin + (angles * n + r) * half
                for h in 0..<c.heads {
                    let q = ws.q + r * qWidth + h * c.headDim
                    if let w = layer.queryNorm { Ops.rmsNorm(q, count: c.headDim, weight: w, epsilon: c.rmsEpsilon, output: q) }
                    Ops.rope(q, dims: c.ropeDims, neox: c.ropeNeox, cos: cos, sin: sin)
                    // The query is scaled here, then rounded to fp16 as llama.cpp does before multiplying with its f16 keys.
                    for i in 0..<c.headDim { q[i] = roundToHalf(q[i] * c.queryScale) }
                }
                let seq = items[row.item].0
                let kDst = seq.keys[l] + row.position * kvWidth, vDst = seq.values[l] + row.position * kvWidth
                for h in 0..<c.kvHeads {
                    let k = ws.k + r * kvWidth + h * c.headDim
                    if let w = layer.keyNorm { Ops.rmsNorm(k, count: c.headDim, weight: w, epsilon: c.rmsEpsilon, output: k) }
                    Ops.rope(k, dims: c.ropeDims, neox: c.ropeNeox, cos: cos, sin: sin)
                }
                // The cache holds fp16 values, as llama.cpp's f16 KV cache.
                for i in 0..<kvWidth {
                    kDst[i] = halfBits(ws.k[r * kvWidth + i])
                    vDst[i] = halfBits(ws.v[r * kvWidth + i])
                }
            }

            attention(rows, items: items, layer: l, sliding: sliding)
            linear(layer.output, ws.attn, rows: n, into: xb, bias: layer.outputBias)

            eachRow(n) { r in
                let xr = x + r * d, xbr = xb + r * d
                if let post = layer.postAttentionNorm { Ops.rmsNorm(xbr, count: d, weight: post, epsilon: c.rmsEpsilon, output: xbr) }
                for i in 0..<d { xr[i] += xbr[i] }
                Ops.rmsNorm(xr, count: d, weight: layer.ffnNorm, epsilon: c.rmsEpsilon, output: xbr)
            }
            let ff = c.feedForwardLength
            linears([(layer.gate, ws.gate, nil), (layer.up, ws.up, nil)], xb, rows: n)
            let family = c.family
            eachRow(n) { r in
                let gate = ws.gate + r * ff, up = ws.up + r * ff
                if family == .gemma3 {
                    Ops.geglu(gate, up, count: ff, output: gate)
                } else {
                    Ops.swiglu(gate, up, count: ff, output: gate)
                }
            }
            linear(layer.down, ws.gate, rows: n, into: xb, bias: nil)
            eachRow(n) { r in
                let xr = x + r * d, xbr = xb + r * d
                if let post = layer.postFFNNorm { Ops.rmsNorm(xbr, count: d, weight: post, epsilon: c.rmsEpsilon, output: xbr) }
                for i in 0..<d { xr[i] += xbr[i] }
            }
        }

        guard !lastRows.isEmpty else { return }
        let m = lastRows.count
        for (k, last) in lastRows.enumerated() {
            Ops.rmsNorm(x + last.row * d, count: d, weight: outputNorm, epsilon: c.rmsEpsilon, output: ws.xb + k * d)
        }
        let vocab = c.vocabularySize
        let logits = UnsafeMutablePointer<Float>.allocate(capacity: m * vocab)
        defer { logits.deallocate() }
        ws.activations.shape(rows: m, columns: d, for: head.type)
        let act = ws.activations, headMatrix = head, panels = headPanels, normed = ws.xb
        eachRow(m) { r in act.quantize(normed, row: r) }
        pool.parallelForTakingTurns(vocab, chunk: 4096) { range in
            if let panels {
                panels.multiply(act, rows: range, into: logits, outStride: vocab)
            } else {
                headMatrix.multiply(act, rows: range, into: logits, outStride: vocab)
            }
        }
        // Each sequence's logits leave in an array of their own, copied (and soft-capped) side by side, and are
        // shown to the caller while the copy is still in cache.
        let softcap = logitSoftcap, visit = whileHot
        var copies = [[Float]](repeating: [], count: m)
        copies.withUnsafeMutableBufferPointer { copies in
            let target = copies.baseAddress!
            eachRow(m) { k in
                let copy = [Float](unsafeUninitializedCapacity: vocab) { out, count in
                    let from = logits + k * vocab
                    if softcap > 0 {
                        for i in 0..<vocab { out[i] = tanhf(from[i] / softcap) * softcap }
                    } else {
                        out.baseAddress!.update(from: from, count: vocab)
                    }
                    count = vocab
                }
                visit?(lastRows[k].item, copy)
                target[k] = copy
            }
        }
        for (k, last) in lastRows.enumerated() { results[last.item] = copies[k] }
    }

    /// Runs `body` for rows 0..<n, spread over the pool when there is more than one: the per-row work between
    /// the matrix products (norms, rotary embedding, cache writes, residual adds) is otherwise done by one
    /// thread while the others wait, a sixth of a batched decoding step.
    private func eachRow(_ n: Int, _ body: @escaping (Int) -> Void) {
        if n == 1 { body(0); return }
        pool.parallelFor(n) { range in for r in range { body(r) } }
    }

    /// `linear` for several matrices of the same input. In a decode step the ones of the same type share
    /// the input's quantization and one pass of the pool: a step is hundreds of short jobs, and every
    /// job ends with both threads waiting for the slower one.
    private func linears(_ products: [(w: WeightMatrix, out: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>?)],
                         _ x: UnsafeMutablePointer<Float>, rows n: Int) {
        var rest = products[...]
        while let first = rest.first {
            let shared = rest.prefix { $0.w.type == first.w.type && $0.w.columns == first.w.columns }
            rest = rest.dropFirst(shared.count)
            if floatPath || shared.count == 1 {
                for p in shared { linear(p.w, x, rows: n, into: p.out, bias: p.bias) }
                continue
            }
            let ws = workspace
            ws.activations.shape(rows: n, columns: first.w.columns, for: first.w.type)
            let act = ws.activations, parts = Array(shared)
            eachRow(n) { r in act.quantize(x, row: r) }
            pool.parallelFor(parts.reduce(0) { $0 + $1.w.rows }, align: 16) { range in
                var offset = 0
                for p in parts {
                    let lo = max(range.lowerBound, offset), hi = min(range.upperBound, offset + p.w.rows)
                    if lo < hi { p.w.multiply(act, rows: (lo - offset)..<(hi - offset), into: p.out, outStride: p.w.rows) }
                    offset += p.w.rows
                }
            }
            for p in parts {
                if let b = p.bias { for r in 0..<n { for i in 0..<p.w.rows { p.out[r * p.w.rows + i] += b[i] } } }
            }
        }
    }

    /// out[r, :] = W · x[r, :] (+ bias) for every row: dot kernels for decode steps, the panel kernel or
    /// sgemm for prompt chunks.
    private func linear(_ w: WeightMatrix, _ x: UnsafeMutablePointer<Float>, rows n: Int, into out: UnsafeMutablePointer<Float>,
                        bias: UnsafePointer<Float>?) {
        let ws = workspace
        if floatPath, let layout = WeightPanel.layout(of: w.type), WeightPanel.available {
            ws.promptActivations.reset(rows: n, columns: w.columns, layout: layout)
            let act = ws.promptActivations
            pool.parallelFor(n) { range in act.quantize(x, rows: range) }
            let panels = (w.rows + WeightPanel.height - 1) / WeightPanel.height, parts = pool.count
            pool.run { part in
                var panel = ws.panels[part]
                for p in (panels * part / parts)..<(panels * (part + 1) / parts) {
                    let first = p * WeightPanel.height
                    panel.load(w, rows: first..<min(w.rows, first + WeightPanel.height))
                    panel.multiply(act, into: out, outStride: w.rows, firstRow: first)
                }
            }
        } else if floatPath {
            let parts = pool.count
            let chunk = Workspace.dequantRows, runs = itemRuns
            pool.run { part in
                let lo = w.rows * part / parts, hi = w.rows * (part + 1) / parts
                var start = lo
                while start < hi {
                    let end = min(hi, start + chunk)
                    w.multiplyBLAS(x, tokens: runs, rows: start..<end, scratch: ws.dequant[part], into: out, outStride: w.rows)
                    start = end
                }
            }
        } else {
            ws.activations.shape(rows: n, columns: w.columns, for: w.type)
            let act = ws.activations
            eachRow(n) { r in act.quantize(x, row: r) }
            pool.parallelFor(w.rows, align: 16) { range in w.multiply(act, rows: range, into: out, outStride: w.rows) }
        }
        if let b = bias {
            for r in 0..<n { for i in 0..<w.rows { out[r * w.rows + i] += b[i] } }
        }
    }

    // MARK: attention

    /// softmax(Q·Kᵀ + mask)·V per sequence and head, for the rows of this chunk. The query and key rows
    /// are fp16-rounded already; probabilities are rounded to fp16 before the product with V, matching
    /// llama.cpp's f16 cache arithmetic.
    private func attention(_ rows: [Row], items: [(SequenceState, [Int32])], layer: Int, sliding: Bool) {
        let c = config, ws = workspace
        let qWidth = c.heads * c.headDim, kvWidth = c.kvHeads * c.headDim
        let group = c.heads / c.kvHeads
        // Tasks: (first row, row count, first head, heads), one per run of rows of the same item, split into
        // blocks. A decode step's query heads go four at a time when four share a key head, so its keys and
        // values are converted from fp16 once for the four.
        let grouped = group % 4 == 0 ? 4 : 1
        var tasks: [(start: Int, count: Int, head: Int, heads: Int)] = []
        var r = 0
        while r < rows.count {
            var e = r + 1
            while e < rows.count && rows[e].item == rows[r].item && e - r < Workspace.queryBlock { e += 1 }
            let width = e - r == 1 ? grouped : 1
            for h in stride(from: 0, to: c.heads, by: width) { tasks.append((r, e - r, h, width)) }
            r = e
        }
        let window = sliding ? c.slidingWindow : 0
        let hd = c.headDim
        pool.run { part in
            let scores = ws.scores[part]
            var t = part
            while t < tasks.count {
                defer { t += ws.threads }
                let task = tasks[t]
                let first = rows[task.start], last = rows[task.start + task.count - 1]
                let seq = items[first.item].0
                let keyEnd = last.position + 1
                let keyStart = window > 0 ? max(0, first.position - window + 1) : 0
                let keys = keyEnd - keyStart
                let kvHead = task.head / group
                let q = ws.q + task.start * qWidth + task.head * hd
                let k = seq.keys[layer] + keyStart * kvWidth + kvHead * hd
                let v = seq.values[layer] + keyStart * kvWidth + kvHead * hd
                // A prompt chunk's rows go through sgemm, which needs the head's keys and values as floats.
                let expandedKeys = ws.expandedKeys[part], expandedValues = ws.expandedValues[part]
                if task.heads == 4 {
                    SingleQueryAttention.scores4(q, queryStride: hd, k, keys: keys, keyStride: kvWidth, dims: hd, into: scores, scoreStride: keys)
                } else if task.count == 1 {
                    SingleQueryAttention.scores(q, k, keys: keys, keyStride: kvWidth, dims: hd, into: scores)
                } else {
                    for j in 0..<keys {
                        expandHalves(k + j * kvWidth, count: hd, into: expandedKeys + j * hd)
                        expandHalves(v + j * kvWidth, count: hd, into: expandedValues + j * hd)
                    }
                    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(task.count), Int32(keys), Int32(hd),
                                1, q, Int32(qWidth), expandedKeys, Int32(hd), 0, scores, Int32(keys))
                }
                // One line of scores per row, or per head of a decode step's group.
                for i in 0..<(task.count * task.heads) {
                    let pos = rows[task.start + i / task.heads].position
                    let s = scores + i * keys
                    // visible keys: keyStart...pos, and inside the window for sliding layers
                    let lo = window > 0 ? max(keyStart, pos - window + 1) : keyStart
                    var maxv = -Float.infinity
                    for j in (lo - keyStart)...(pos - keyStart) { maxv = max(maxv, s[j]) }
                    var sum: Double = 0
                    for j in 0..<keys {
                        let p = j + keyStart
                        if p < lo || p > pos { s[j] = 0; continue }
                        let e = expf(s[j] - maxv)
                        s[j] = e
                        sum += Double(e)
                    }
                    let inv = Float(1 / sum)
                    for j in 0..<keys { s[j] = roundToHalf(s[j] * inv) }
                }
                let out = ws.attn + task.start * qWidth + task.head * hd
                if task.heads == 4 {
                    SingleQueryAttention.mix4(scores, scoreStride: keys, v, keys: keys, valueStride: kvWidth, dims: hd, into: out, outStride: hd)
                } else if task.count == 1 {
                    SingleQueryAttention.mix(scores, v, keys: keys, valueStride: kvWidth, dims: hd, into: out)
                } else {
                    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(task.count), Int32(hd), Int32(keys),
                                1, scores, Int32(keys), expandedValues, Int32(hd), 0, out, Int32(qWidth))
                }
            }
        }
    }
}
