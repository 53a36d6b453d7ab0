import Foundation

/// The state machine of a message tree, as pure functions from a snapshot to a decision.
///
/// `evaluate` runs every check that applies to the current state and keeps going while the tree advances, so a
/// tree that reaches its goal with nothing to rank is scored at once instead of waiting for a restart, and
/// two evaluations of the same snapshot give the same decision (so the second of two racing submitters, who sees
/// the already advanced tree, changes nothing).
public enum TreeTransitions {
    /// Every transition the snapshot calls for. Call after each review decision, ranking, deletion, or at startup.
    public static func evaluate(_ tree: TreeSnapshot, _ config: TreeManagerConfiguration) -> TreeDecision {
        var decision = TreeDecision()
        var current = tree
        var wasActive = tree.active
        while let next = step(current, config, &decision) {
            decision.transitions.append(next)
            current.state = next
            current.active = !next.isTerminal
            if next.isTerminal, wasActive {
                decision.finishedActiveTree = true
                wasActive = false
            }
        }
        return decision
    }

    /// One transition from the tree's current state, or nil when it stays.
    static func step(_ tree: TreeSnapshot, _ config: TreeManagerConfiguration, _ decision: inout TreeDecision)
        -> TreeState?
    {
        switch tree.state {
        case .initialPromptReview:
            guard tree.active, let root = tree.root else { return nil }
            if root.reviewResult == true { return .promptLotteryWaiting }
            if root.reviewResult == false, root.reviewCount >= config.numReviewsInitialPrompt {
                return .abortedLowGrade
            }
            return nil
        case .growing:
            guard tree.active else { return nil }
            return rankingCondition(tree, config)
        case .ranking, .readyForScoring, .scoringFailed:
            guard tree.active || tree.state == .scoringFailed else { return nil }
            guard isReadyForScoring(tree, config) else { return nil }
            if tree.state == .ranking { return .readyForScoring }
            decision.ranks = consensusRanks(tree, config)
            return .readyForExport
        case .promptLotteryWaiting, .readyForExport, .abortedLowGrade, .haltedByModerator, .backlogRanking:
            return nil
        }
    }

    /// growing → ranking once the tree holds its goal of accepted messages and nothing awaits review;
    /// growing → halted when every message was deleted.
    static func rankingCondition(_ tree: TreeSnapshot, _ config: TreeManagerConfiguration) -> TreeState? {
        let size = tree.size
        if size == 0 { return .haltedByModerator }
        if size >= tree.goalTreeSize, tree.awaitingReview(config) == 0 { return .ranking }
        return nil
    }

    /// Parents whose accepted, non-deleted replies of a ranked role form a set of more than one.
    public static func rankableParents(_ tree: TreeSnapshot, _ config: TreeManagerConfiguration) -> [RankableSet] {
        var byParent: [UUID: [MessageSnapshot]] = [:]
        for message in tree.messages
        where !message.isRoot && !message.deleted && message.isAccepted && config.rankedRoles.contains(message.role) {
            byParent[message.parentID!, default: []].append(message)
        }
        return byParent.compactMap { parentID, replies -> RankableSet? in
            guard replies.count > 1 else { return nil }
            let ids = replies.map(\.id)
            let rankings = tree.rankings.filter { $0.parentID == parentID }
            return RankableSet(parentID: parentID, replyIDs: ids.sorted(), completedRankings: rankings.count)
        }.sorted { $0.parentID < $1.parentID }
    }

    /// Every rankable parent has the required number of completed rankings.
    public static func isReadyForScoring(_ tree: TreeSnapshot, _ config: TreeManagerConfiguration) -> Bool {
        rankableParents(tree, config).allSatisfy { $0.completedRankings >= config.numRequiredRankings }
    }

    /// Ranks from ranked pairs for every rankable parent: its current replies get 0, 1, ... best first, and every
    /// other reply of that parent (deleted, rejected, or of an unranked role) loses any rank it had.
    public static func consensusRanks(_ tree: TreeSnapshot, _ config: TreeManagerConfiguration) -> [UUID: Int?] {
        var ranks: [UUID: Int?] = [:]
        for set in rankableParents(tree, config) {
            let ballots = tree.rankings.filter { $0.parentID == set.parentID }.map(\.rankedMessageIDs)
            let consensus = RankingConsensus(ballots: ballots, candidates: Set(set.replyIDs))
            for sibling in tree.children(of: set.parentID) { ranks[sibling.id] = .some(nil) }
            for (rank, id) in consensus.ranking.enumerated() { ranks[id] = rank }
        }
        return ranks
    }

    // MARK: Moderator actions

    /// The tree is given up as low grade (a rejected or red-flagged initial prompt).
    public static func abort(_ tree: TreeSnapshot) -> TreeDecision {
        var decision = TreeDecision()
        guard tree.state != .abortedLowGrade else { return decision }
        decision.transitions = [.abortedLowGrade]
        decision.finishedActiveTree = tree.active
        return decision
    }

    /// A moderator stops the tree: no more tasks from it.
    public static func halt(_ tree: TreeSnapshot) -> TreeDecision {
        var decision = TreeDecision()
        guard tree.state != .haltedByModerator else { return decision }
        decision.transitions = [.haltedByModerator]
        decision.finishedActiveTree = tree.active
        return decision
    }

    /// A moderator restarts a halted tree. A tree that had won the lottery grows again, one that had not goes
    /// back to prompt review; then every check runs, so a complete tree moves on through ranking and scoring
    /// to where it belongs instead of staying in `growing`.
    public static func resume(_ tree: TreeSnapshot, _ config: TreeManagerConfiguration) -> TreeDecision {
        guard tree.state == .haltedByModerator else { return TreeDecision() }
        var restarted = tree
        restarted.state = tree.wonPromptLotteryAt == nil ? .initialPromptReview : .growing
        restarted.active = true
        var decision = evaluate(restarted, config)
        decision.transitions.insert(restarted.state, at: 0)
        return decision
    }
}

/// A sibling set that is ranked: the accepted replies of one parent.
public struct RankableSet: Sendable, Equatable, Hashable {
    public var parentID: UUID
    public var replyIDs: [UUID]
    public var completedRankings: Int
}
