/// Agreement between two orderings of the same items, from −1 (reversed) through 0 to 1 (identical).
public enum KendallTau {
    /// Tau-a over the items both orderings contain: (concordant − discordant) / pairs.
    /// Nil when fewer than two items are shared, because then there is nothing to agree on.
    public static func tau<ID: Hashable>(_ ranking: [ID], _ reference: [ID]) -> Double? {
        let referencePosition = Dictionary(reference.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        var seen = Set<ID>()
        let positions = ranking.compactMap { id -> Int? in
            guard seen.insert(id).inserted else { return nil }
            return referencePosition[id]
        }
        let n = positions.count
        guard n > 1 else { return nil }
        var concordant = 0
        var discordant = 0
        for i in 0..<n {
            for j in (i + 1)..<n {
                if positions[i] < positions[j] { concordant += 1 } else { discordant += 1 }
            }
        }
        return Double(concordant - discordant) / Double(n * (n - 1) / 2)
    }

    /// Tau mapped from −1...1 to 0...1, as in Open Assistant's scoring prototype.
    public static func normalized(_ tau: Double) -> Double {
        (1 + tau) / 2
    }
}
