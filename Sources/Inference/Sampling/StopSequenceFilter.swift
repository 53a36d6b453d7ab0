/// Holds back streamed text that might be the beginning of a stop sequence, so a stop sequence never
/// reaches a reader, not even when the model produces it one token (or one character) at a time.
///
/// Matching is on Unicode scalars: a generated character is never split, and a stop sequence is found
/// even when it starts in the middle of a token's text.
public struct StopSequenceFilter: Sendable {
    private let stops: [[Unicode.Scalar]]
    private var held: [Unicode.Scalar] = []
    /// True once a stop sequence has been seen; everything after it is dropped.
    public private(set) var isStopped = false
    /// The stop sequence that ended the text, if any.
    public private(set) var matched: String?

    public init(_ stops: [String]) {
        self.stops = stops.filter { !$0.isEmpty }.map { Array($0.unicodeScalars) }
    }

    /// Text that is safe to show now. Empty while the tail could still turn into a stop sequence.
    public mutating func push(_ text: String) -> String {
        guard !isStopped else { return "" }
        held.append(contentsOf: text.unicodeScalars)
        guard !stops.isEmpty else { return release(held.count) }
        if let (start, stop) = firstMatch() {
            isStopped = true
            matched = String(String.UnicodeScalarView(stop))
            let out = String(String.UnicodeScalarView(held[0..<start]))
            held.removeAll()
            return out
        }
        return release(held.count - longestPartialSuffix())
    }

    /// Whatever is still held back (it did not become a stop sequence); call when generation ends
    /// for another reason.
    public mutating func finish() -> String {
        guard !isStopped else { return "" }
        return release(held.count)
    }

    private mutating func release(_ n: Int) -> String {
        guard n > 0 else { return "" }
        let out = String(String.UnicodeScalarView(held[0..<n]))
        held.removeFirst(n)
        return out
    }

    /// Earliest occurrence of any stop sequence in the held text (the longer one wins at equal starts).
    private func firstMatch() -> (Int, [Unicode.Scalar])? {
        var best: (Int, [Unicode.Scalar])?
        for stop in stops where stop.count <= held.count {
            for start in 0...(held.count - stop.count) {
                if let b = best, start > b.0 { break }
                if held[start..<(start + stop.count)].elementsEqual(stop) {
                    if best == nil || start < best!.0 || stop.count > best!.1.count { best = (start, stop) }
                    break
                }
            }
        }
        return best
    }

    /// Length of the longest tail of the held text that is a proper prefix of some stop sequence.
    private func longestPartialSuffix() -> Int {
        var longest = 0
        for stop in stops {
            var k = min(stop.count - 1, held.count)
            while k > longest {
                if held[(held.count - k)...].elementsEqual(stop[0..<k]) { longest = k; break }
                k -= 1
            }
        }
        return longest
    }
}
