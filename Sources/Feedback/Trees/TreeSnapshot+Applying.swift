import Foundation

extension TreeSnapshot {
    /// The snapshot after a decision: what Storage will have stored. Useful to chain rules in memory.
    public func applying(_ decision: TreeDecision) -> TreeSnapshot {
        var tree = self
        if let state = decision.finalState {
            tree.state = state
            tree.active = !state.isTerminal
        }
        for index in tree.messages.indices {
            if let rank = decision.ranks[tree.messages[index].id] {
                tree.messages[index].rank = rank
            }
        }
        return tree
    }

    /// The snapshot after one completed review of a message, with its review result decided by `ReviewRules`.
    /// - Parameter reviews: every completed review of the message, the new one included.
    public func applyingReview(
        of messageID: UUID, reviews: [LabelValues], _ config: TreeManagerConfiguration
    ) -> TreeSnapshot {
        var tree = self
        guard let index = tree.messages.firstIndex(where: { $0.id == messageID }) else { return tree }
        tree.messages[index].reviewCount += 1
        if let result = ReviewRules.decision(for: tree.messages[index], reviews: reviews, config) {
            tree.messages[index].reviewResult = result
        }
        return tree
    }

    /// The snapshot after one completed ranking task: the ranking is among the tree's rankings, and each reply
    /// it ranked counts one ranking more.
    public func applyingRanking(_ ranking: RankingSubmission) -> TreeSnapshot {
        var tree = self
        tree.rankings.append(ranking)
        for index in tree.messages.indices where ranking.rankedMessageIDs.contains(tree.messages[index].id) {
            tree.messages[index].rankingCount += 1
        }
        return tree
    }
}
