/// The consensus of several rankings of one sibling set, and how well each ranking agrees with it.
public struct RankingConsensus<ID: Hashable & Comparable & Sendable>: Sendable {
    /// Best first. Contains every candidate that at least one usable ballot mentions (or every given candidate).
    public let ranking: [ID]
    /// One entry per input ballot, in input order.
    public let agreements: [VoterAgreement]

    public struct VoterAgreement: Sendable, Equatable {
        /// Index of the ballot in the input.
        public let ballotIndex: Int
        /// Items of the ballot that are still candidates.
        public let comparedItems: Int
        /// Kendall tau against the consensus, or nil when the ballot compares fewer than two candidates.
        public let tau: Double?

        /// Whether the ranking agrees with the consensus more than it disagrees (normalised tau above 0.5).
        public var agrees: Bool { (tau ?? 0) > 0 }
    }

    /// The consensus position of an id (0 = best), if ranked.
    public func rank(of id: ID) -> Int? {
        ranking.firstIndex(of: id)
    }

    /// Builds the consensus.
    /// - Parameters:
    ///   - ballots: each ballot orders the items one voter saw, best first. A voter who saw only some items counts
    ///     for the pairs they saw.
    ///   - candidates: the items to rank, e.g. the siblings not deleted since the rankings were made. Ids outside
    ///     this set are dropped from every ballot. When nil, every id that some ballot mentions is a candidate.
    public init(ballots: [[ID]], candidates: Set<ID>? = nil) {
        let pool = candidates ?? Set(ballots.joined())
        let ranking = RankedPairs.rank(ballots, candidates: pool)
        self.ranking = ranking
        self.agreements = ballots.enumerated().map { index, ballot in
            let kept = Set(ballot.filter { pool.contains($0) })
            return VoterAgreement(ballotIndex: index, comparedItems: kept.count, tau: KendallTau.tau(ballot, ranking))
        }
    }
}
