/// The most recent tokens of a sequence and how often each occurs, for repetition penalties.
struct PenaltyWindow: Sendable {
    /// -1 keeps every token; 0 keeps none.
    let size: Int
    private var ring: [Int32] = []
    private var next = 0
    private(set) var counts: [Int32: Int] = [:]

    init(size: Int) { self.size = size }

    mutating func append(_ token: Int32) {
        guard size != 0 else { return }
        if size > 0 && ring.count == size {
            let old = ring[next]
            if let c = counts[old] { counts[old] = c > 1 ? c - 1 : nil }
            ring[next] = token
            next = (next + 1) % size
        } else {
            ring.append(token)
        }
        counts[token, default: 0] += 1
    }

    /// Applies llama.cpp's `penalties` step: the repetition penalty divides positive logits and multiplies
    /// negative ones (so it always lowers the token), then the OpenAI-style frequency and presence penalties.
    func apply(to logits: inout [Float], repetition: Double, frequency: Double, presence: Double) {
        guard repetition != 1 || frequency != 0 || presence != 0 else { return }
        let rep = Float(repetition), freq = Float(frequency), pres = Float(presence)
        for (token, count) in counts where Int(token) < logits.count && token >= 0 {
            let i = Int(token)
            var l = logits[i]
            if rep != 1 { l = l > 0 ? l / rep : l * rep }
            l -= Float(count) * freq + (count > 0 ? pres : 0)
            logits[i] = l
        }
    }
}
