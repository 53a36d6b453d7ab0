/// Ranked pairs (Tideman) over ballots that each order some of the candidates, best first.
///
/// Deterministic by construction, with these documented tie-breaks (they reproduce Open Assistant's
/// `ranked_pairs` on complete ballots):
/// - candidates are indexed in ascending id order;
/// - a pair whose margin is zero is a majority in both directions;
/// - majorities are locked in by margin, larger first; equal margins keep (winner index, loser index) order,
///   so the smaller id wins a tie;
/// - the final order repeatedly takes the smallest-index candidate that no remaining locked edge beats.
///
/// Partial ballots count for exactly the pairs they contain; a pair no ballot compared has margin zero.
public enum RankedPairs {
    /// The consensus order of `candidates` (every candidate appears once), best first.
    /// Ids in a ballot that are not candidates are ignored, and so is any repeat of an id within a ballot.
    public static func rank<ID: Hashable & Comparable>(_ ballots: [[ID]], candidates: some Collection<ID>) -> [ID] {
        let names = Array(Set(candidates)).sorted()
        let n = names.count
        guard n > 1 else { return names }
        let index = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })

        let margins = marginMatrix(ballots, index: index, count: n)

        var majorities: [(winner: Int, loser: Int, margin: Int)] = []
        for i in 0..<n {
            for j in 0..<n where i != j && margins[i][j] >= 0 {
                majorities.append((i, j, margins[i][j]))
            }
        }
        // Swift's sort is stable: equal margins stay in row-major (winner, loser) order.
        majorities.sort { $0.margin > $1.margin }

        var beats = Array(repeating: Set<Int>(), count: n)
        for pair in majorities where !reaches(pair.loser, pair.winner, beats) {
            beats[pair.winner].insert(pair.loser)
        }
        return topologicalOrder(beats).map { names[$0] }
    }

    /// Ranked pairs over the ids the ballots mention.
    public static func rank<ID: Hashable & Comparable>(_ ballots: [[ID]]) -> [ID] {
        rank(ballots, candidates: Set(ballots.joined()))
    }

    /// `margin[i][j]` = voters preferring i over j minus voters preferring j over i.
    static func marginMatrix<ID: Hashable>(_ ballots: [[ID]], index: [ID: Int], count n: Int) -> [[Int]] {
        var margins = Array(repeating: Array(repeating: 0, count: n), count: n)
        for ballot in ballots {
            var seen = Set<Int>()
            let order = ballot.compactMap { index[$0] }.filter { seen.insert($0).inserted }
            for (position, better) in order.enumerated() {
                for worse in order[(position + 1)...] {
                    margins[better][worse] += 1
                    margins[worse][better] -= 1
                }
            }
        }
        return margins
    }

    /// Whether `target` can be reached from `start` along locked edges; locking `target → start` would then close a cycle.
    static func reaches(_ start: Int, _ target: Int, _ beats: [Set<Int>]) -> Bool {
        var stack = [start]
        var visited: Set<Int> = [start]
        while let node = stack.popLast() {
            if node == target { return true }
            for next in beats[node] where visited.insert(next).inserted {
                stack.append(next)
            }
        }
        return false
    }

    /// Kahn's algorithm that always takes the smallest unbeaten index.
    static func topologicalOrder(_ beats: [Set<Int>]) -> [Int] {
        let n = beats.count
        var beatenBy = Array(repeating: 0, count: n)
        for losers in beats { for loser in losers { beatenBy[loser] += 1 } }
        var placed = Array(repeating: false, count: n)
        var order: [Int] = []
        order.reserveCapacity(n)
        while order.count < n {
            guard let next = (0..<n).first(where: { !placed[$0] && beatenBy[$0] == 0 }) else { break }
            placed[next] = true
            order.append(next)
            for loser in beats[next] { beatenBy[loser] -= 1 }
        }
        return order
    }
}
