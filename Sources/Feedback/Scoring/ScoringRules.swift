import Foundation

/// Points per action (Open Assistant's `UserStats.compute_leader_score`) and the bonuses it never shipped.
public enum ScoringRules {
    /// `int(0.1·prompts) + 4·assistant replies + prompter replies + simple labels + 2·full labels + rankings
    /// + good rankings + int(0.1·accepted prompts) + 4·accepted assistant replies + accepted prompter replies
    /// + 9·ranked 1st + 3·ranked 2nd + ranked 3rd`. Prompts earn little because every tree needs only one and
    /// the pool of waiting prompts is large.
    public static func leaderScore(_ c: ContributionCounts) -> Int {
        terms.reduce(0) { $0 + c[keyPath: $1.counter] * $1.points / $1.perCount }
    }

    /// The leader score term by term, so a database can compute the same sum without a copy of the numbers.
    public static let terms: [ScoreTerm] = [
        ScoreTerm(\.prompts, points: 1, perCount: 10),
        ScoreTerm(\.repliesAssistant, points: 4),
        ScoreTerm(\.repliesPrompter, points: 1),
        ScoreTerm(\.labelsSimple, points: 1),
        ScoreTerm(\.labelsFull, points: 2),
        ScoreTerm(\.rankingsTotal, points: 1),
        ScoreTerm(\.rankingsGood, points: 1),
        ScoreTerm(\.acceptedPrompts, points: 1, perCount: 10),
        ScoreTerm(\.acceptedRepliesAssistant, points: 4),
        ScoreTerm(\.acceptedRepliesPrompter, points: 1),
        ScoreTerm(\.replyRanked1, points: replyBonus(consensusRank: 0)),
        ScoreTerm(\.replyRanked2, points: replyBonus(consensusRank: 1)),
        ScoreTerm(\.replyRanked3, points: replyBonus(consensusRank: 2)),
    ]

    /// Points a reply earns for its consensus rank: 9 for the best, 3 for the second, 1 for the third.
    public static func replyBonus(consensusRank: Int) -> Int {
        switch consensusRank {
        case 0: return 9
        case 1: return 3
        case 2: return 1
        default: return 0
        }
    }

    /// A ranking earns the quality bonus when it agrees with the consensus more than it disagrees
    /// (normalised Kendall tau above 0.5, as in Open Assistant's scoring prototype).
    public static func rankingAgrees(tau: Double?) -> Bool {
        guard let tau else { return false }
        return KendallTau.normalized(tau) > 0.5
    }

    /// The bonus actions a scored tree grants: one per ranking that agrees with the consensus (to its ranker),
    /// and one per reply in the top three of its sibling set (to its author).
    /// - Parameters:
    ///   - ranks: the consensus ranks written by `TreeTransitions` (nil entries are ignored).
    ///   - tree: the snapshot the ranks were computed from (authors and rankings).
    public static func bonuses(
        forScoredTree tree: TreeSnapshot, ranks: [UUID: Int?], _ config: TreeManagerConfiguration
    ) -> [ScoringBonus] {
        var result: [ScoringBonus] = []
        for set in TreeTransitions.rankableParents(tree, config) {
            let consensus = set.replyIDs.compactMap { id in ranks[id].flatMap { $0 }.map { (id, $0) } }
                .sorted { $0.1 < $1.1 }.map(\.0)
            for ranking in tree.rankings where ranking.parentID == set.parentID {
                if rankingAgrees(tau: KendallTau.tau(ranking.rankedMessageIDs, consensus)) {
                    result.append(ScoringBonus(userID: ranking.userID, action: .rankingAgreedWithConsensus))
                }
            }
        }
        for message in tree.messages.sorted(by: { $0.id < $1.id }) {
            guard let rank = ranks[message.id] ?? nil, rank < 3 else { continue }
            result.append(ScoringBonus(userID: message.authorID, action: .replyRankedByConsensus(rank)))
        }
        return result
    }
}

/// `count × points / perCount` of one counter, divided per term (ten prompts earn one point, nine earn none).
public struct ScoreTerm: Sendable {
    public let counter: WritableKeyPath<ContributionCounts, Int> & Sendable
    public let points: Int
    public let perCount: Int

    public init(_ counter: WritableKeyPath<ContributionCounts, Int> & Sendable, points: Int, perCount: Int = 1) {
        self.counter = counter
        self.points = points
        self.perCount = perCount
    }
}

/// A bonus action to journal for one user.
public struct ScoringBonus: Sendable, Equatable, Hashable {
    public var userID: UUID
    public var action: ScoredAction
}
