import Foundation

/// The tokens still in the running for the next position, with their (adjusted) logits.
///
/// Each filter is one method; they follow llama.cpp's `llama-sampling.cpp` semantics (keep at least one
/// token; top-p and typical-p keep the token that crosses the threshold). A vocabulary has ~262k entries,
/// so nothing here sorts the whole list unless a filter truly needs every probability in order.
struct TokenCandidates {
    var ids: [Int32]
    var logits: [Float]
    /// True when the entries are in descending logit order (ties: lower id first).
    var isSorted: Bool

    init(logits: [Float]) {
        self.ids = (0..<Int32(logits.count)).map { $0 }
        self.logits = logits
        self.isSorted = false
    }

    init(ids: [Int32], logits: [Float], isSorted: Bool) {
        self.ids = ids
        self.logits = logits
        self.isSorted = isSorted
    }

    var count: Int { ids.count }

    mutating func scale(byTemperature t: Double) {
        let inv = Float(1 / t)
        for i in logits.indices { logits[i] *= inv }
    }

    /// Keeps the `k` most likely tokens, sorted.
    mutating func keepTop(_ k: Int) {
        guard k > 0 else { return }
        let order = topIndices(min(k, count))
        replace(with: order, sorted: true)
    }

    /// Nucleus filter: the smallest prefix (by probability) whose mass reaches `p`.
    mutating func keepTopP(_ p: Double) {
        guard p < 1, count > 1 else { return }
        let (maxLogit, total) = softmaxScale()
        // Most of the mass sits in few tokens: sort a small head first and widen only when it falls short.
        var m = isSorted ? count : min(count, 256)
        while true {
            let order = isSorted ? Array(0..<count) : topIndices(m)
            var sum = 0.0
            for (rank, i) in order.enumerated() {
                sum += Double(expf(logits[i] - maxLogit)) / total
                if sum >= p {
                    replace(with: Array(order[0...rank]), sorted: true)
                    return
                }
            }
            if m == count {
                replace(with: order, sorted: true)
                return
            }
            m = min(count, m * 8)
        }
    }

    /// Drops tokens less than `p` times as likely as the most likely one.
    mutating func keepMinP(_ p: Double) {
        guard p > 0, count > 1 else { return }
        let maxLogit = logits.max() ?? 0
        let threshold = maxLogit + Float(Foundation.log(p))
        let keep = logits.indices.filter { logits[$0] >= threshold }
        guard !keep.isEmpty else { return }
        replace(with: keep, sorted: isSorted)
    }

    /// Locally typical sampling: keeps the tokens whose surprise is closest to the distribution's entropy,
    /// until their mass reaches `p`.
    mutating func keepTypical(_ p: Double) {
        guard p < 1, count > 1 else { return }
        let (maxLogit, total) = softmaxScale()
        var probs = [Double](repeating: 0, count: count)
        var entropy = 0.0
        for i in 0..<count {
            let q = Double(expf(logits[i] - maxLogit)) / total
            probs[i] = q
            if q > 0 { entropy -= q * Foundation.log(q) }
        }
        let shift = probs.map { $0 > 0 ? abs(-Foundation.log($0) - entropy) : .infinity }
        let order = (0..<count).sorted { shift[$0] != shift[$1] ? shift[$0] < shift[$1] : ids[$0] < ids[$1] }
        var sum = 0.0
        var last = order.count
        for (rank, i) in order.enumerated() {
            sum += probs[i]
            if sum > p { last = rank + 1; break }
        }
        replace(with: Array(order[0..<last]), sorted: false)
    }

    /// The most likely token (lowest id on ties, like `argmax`).
    func argmax() -> Int32 {
        var best = 0
        for i in 1..<count where logits[i] > logits[best] || (logits[i] == logits[best] && ids[i] < ids[best]) {
            best = i
        }
        return ids[best]
    }

    /// Draws a token from the softmax of the remaining logits.
    func draw(using rng: inout SeededGenerator) -> Int32 {
        let (maxLogit, total) = softmaxScale()
        let target = rng.nextUnit() * total
        var sum = 0.0
        for i in 0..<count {
            sum += Double(expf(logits[i] - maxLogit))
            if sum > target { return ids[i] }
        }
        // Rounding can leave `target` a hair above the final sum: the last token with any mass wins.
        return ids[logits.indices.last { logits[$0] > -.infinity } ?? 0]
    }

    /// Probabilities of the remaining tokens, in entry order.
    func probabilities() -> [Double] {
        let (maxLogit, total) = softmaxScale()
        return logits.map { Double(expf($0 - maxLogit)) / total }
    }

    /// The largest logit and Σ exp(logit − max), in a fixed order so results are reproducible.
    private func softmaxScale() -> (Float, Double) {
        let maxLogit = logits.max() ?? 0
        var total = 0.0
        for l in logits { total += Double(expf(l - maxLogit)) }
        return (maxLogit, total)
    }

    private mutating func replace(with order: [Int], sorted: Bool) {
        ids = order.map { ids[$0] }
        logits = order.map { logits[$0] }
        isSorted = sorted
    }

    /// Positions of the `m` largest logits, in descending order, found with a bounded min-heap
    /// (O(n log m)) instead of sorting everything.
    func topIndices(_ m: Int) -> [Int] {
        if isSorted { return Array(0..<min(m, count)) }
        // `a` ranks above `b`: larger logit, then lower id.
        func above(_ a: Int, _ b: Int) -> Bool {
            logits[a] != logits[b] ? logits[a] > logits[b] : ids[a] < ids[b]
        }
        if m * 4 >= count {
            return (0..<count).sorted(by: above).prefix(m).map { $0 }
        }
        var heap: [Int] = []  // min-heap: heap[0] is the weakest of the current top m
        heap.reserveCapacity(m)
        func siftDown(_ start: Int) {
            var i = start
            while true {
                let l = 2 * i + 1, r = l + 1
                var weakest = i
                if l < heap.count && above(heap[weakest], heap[l]) { weakest = l }
                if r < heap.count && above(heap[weakest], heap[r]) { weakest = r }
                if weakest == i { return }
                heap.swapAt(i, weakest)
                i = weakest
            }
        }
        for i in 0..<count {
            if heap.count < m {
                heap.append(i)
                var c = heap.count - 1
                while c > 0 {
                    let parent = (c - 1) / 2
                    guard above(heap[parent], heap[c]) else { break }
                    heap.swapAt(parent, c)
                    c = parent
                }
            } else if above(i, heap[0]) {
                heap[0] = i
                siftDown(0)
            }
        }
        return heap.sorted(by: above)
    }
}
