/// The first position of the largest of many floats, for greedy decoding (262,144 logits per token and stream
/// for Gemma). The floats are read in blocks of 256 whose largest value is found sixteen lanes at a time; only
/// the first block holding the overall largest is then searched for its position (`laneMaximum`: Swift's
/// generic `pointwiseMax` compiles to a loop over the lanes).
enum LargestLogit {
    static let block = 256

    /// nil when a value is NaN or infinite (no lane arithmetic ranks those reliably): the caller scans instead.
    static func position(in v: UnsafeBufferPointer<Float>) -> Int? {
        guard let base = v.baseAddress else { return nil }
        let n = v.count, whole = n / block * block
        var best = -Float.greatestFiniteMagnitude, bestStart = -1
        // x · 0 is 0 for every finite x and NaN otherwise, so the sum of them tells whether all were finite.
        var nonFinite = SIMD16<Float>()
        var start = 0
        while start < whole {
            var lanes = load(base + start)
            nonFinite += lanes * 0
            var i = start + 16
            while i < start + block {
                let next = load(base + i)
                nonFinite += next * 0
                lanes = laneMaximum(lanes, next)
                i += 16
            }
            let top = lanes.max()
            if top > best { best = top; bestStart = start }
            start += block
        }
        var tailBest = -1
        for i in whole..<n {
            if !v[i].isFinite { return nil }
            if v[i] > best { best = v[i]; tailBest = i }
        }
        if nonFinite.sum() != 0 { return nil }
        if tailBest >= 0 { return tailBest }
        guard bestStart >= 0 else { return nil }
        var i = bestStart
        while v[i] != best { i += 1 }
        return i
    }

    @inline(__always) private static func load(_ p: UnsafePointer<Float>) -> SIMD16<Float> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD16<Float>.self)
    }
}
