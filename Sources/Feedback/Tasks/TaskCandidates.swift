import Foundation

/// A message that can get one more reply.
public struct ExtendibleParent: Sendable, Equatable, Hashable {
    public var parentID: UUID
    public var treeID: UUID
    public var parentRole: MessageRole
    public var depth: Int
    /// Non-deleted children that are accepted or still under review.
    public var activeChildrenCount: Int

    public var replyKind: TaskKind { TaskKind.reply(toParent: parentRole) }
}

/// A message that needs another review (label task).
public struct ReviewCandidate: Sendable, Equatable, Hashable {
    public var messageID: UUID
    public var treeID: UUID
    public var role: MessageRole
    public var isRoot: Bool

    public var kind: TaskKind { TaskKind.label(role: role, isRoot: isRoot) }
}

/// A sibling set that needs more rankings.
public struct RankingCandidate: Sendable, Equatable, Hashable {
    public var parentID: UUID
    public var treeID: UUID
    public var role: MessageRole
    public var replyIDs: [UUID]
    /// When every reply is model-written the task may say so; one human reply hides the flag on all.
    public var allSynthetic: Bool

    public var kind: TaskKind { TaskKind.ranking(of: role) }
}

/// Everything a contributor could be given right now in one language.
public struct TaskCandidates: Sendable, Equatable {
    public var extendibleParents: [ExtendibleParent] = []
    /// Sum over extendible trees of replies still missing to their goal.
    public var missingReplies = 0
    public var promptsNeedingReview: [ReviewCandidate] = []
    public var repliesNeedingReview: [ReviewCandidate] = []
    public var incompleteRankings: [RankingCandidate] = []
    /// From `PromptLottery.missingPrompts`.
    public var missingPrompts = 0

    public init() {}
}

/// The candidate rules (Open Assistant's `_sql_find_extendible_parents`, `_query_need_review`,
/// `_sql_find_incomplete_rankings`) over tree snapshots, for one contributor.
public enum CandidateRules {
    /// Collects every candidate from the trees (callers pass the active trees of one language).
    public static func candidates(
        in trees: [TreeSnapshot], for user: ContributorContext, softLockedParents: Set<UUID> = [],
        missingPrompts: Int = 0, _ config: TreeManagerConfiguration
    ) -> TaskCandidates {
        var result = TaskCandidates()
        result.missingPrompts = missingPrompts
        for tree in trees.sorted(by: { $0.id < $1.id }) {
            let parents = extendibleParents(in: tree, for: user, softLockedParents: softLockedParents, config)
            if !parents.isEmpty {
                result.extendibleParents += parents
                result.missingReplies += tree.missingReplies(config)
            }
            for candidate in messagesNeedingReview(in: tree, for: user, config) {
                if candidate.isRoot {
                    result.promptsNeedingReview.append(candidate)
                } else {
                    result.repliesNeedingReview.append(candidate)
                }
            }
            result.incompleteRankings += incompleteRankings(in: tree, for: user, config)
        }
        return result
    }

    /// A tree takes more replies while growing, active, and below its goal counting the accepted root and the
    /// replies accepted or under review.
    public static func isExtendible(_ tree: TreeSnapshot, _ config: TreeManagerConfiguration) -> Bool {
        tree.active && tree.state == .growing && tree.occupiedSize(config) < tree.goalTreeSize
    }

    /// Parents in the tree this user may reply to.
    public static func extendibleParents(
        in tree: TreeSnapshot, for user: ContributorContext, softLockedParents: Set<UUID> = [],
        _ config: TreeManagerConfiguration
    ) -> [ExtendibleParent] {
        guard isExtendible(tree, config) else { return [] }
        var childrenByParent: [UUID: [MessageSnapshot]] = [:]
        for message in tree.messages where !message.isRoot {
            childrenByParent[message.parentID!, default: []].append(message)
        }
        return tree.messages.sorted { $0.id < $1.id }.compactMap { parent -> ExtendibleParent? in
            guard !parent.deleted, parent.isAccepted, parent.depth < tree.maxDepth,
                !user.hasSkipped(parent.id, .skipReply), !softLockedParents.contains(parent.id)
            else { return nil }
            let children = childrenByParent[parent.id] ?? []
            let active = children.filter { $0.occupiesSlot(config) }
            guard active.count < tree.maxChildrenCount,
                parent.role == .prompter || active.count < config.numPrompterReplies
            else { return nil }
            // One reply per user per parent, counting every reply that is not deleted.
            if !user.allowDuplicateTasks, children.contains(where: { !$0.deleted && $0.authorID == user.userID }) {
                return nil
            }
            return ExtendibleParent(
                parentID: parent.id, treeID: tree.id, parentRole: parent.role, depth: parent.depth,
                activeChildrenCount: active.count)
        }
    }

    /// Whether this user may review (label) the message now.
    public static func needsReview(
        _ message: MessageSnapshot, in tree: TreeSnapshot, for user: ContributorContext,
        _ config: TreeManagerConfiguration
    ) -> Bool {
        guard tree.active, tree.state == (message.isRoot ? .initialPromptReview : .growing) else { return false }
        guard !message.deleted, message.reviewResult != true,
            message.reviewCount < config.numReviews(isRoot: message.isRoot)
        else { return false }
        if user.hasSkipped(message.id, .skipLabeling) { return false }
        if !user.allowSelfLabeling, message.authorID == user.userID { return false }
        if !user.allowDuplicateTasks, user.labeledMessageIDs.contains(message.id) { return false }
        return true
    }

    public static func messagesNeedingReview(
        in tree: TreeSnapshot, for user: ContributorContext, _ config: TreeManagerConfiguration
    ) -> [ReviewCandidate] {
        tree.messages.sorted { $0.id < $1.id }.filter { needsReview($0, in: tree, for: user, config) }.map {
            ReviewCandidate(messageID: $0.id, treeID: tree.id, role: $0.role, isRoot: $0.isRoot)
        }
    }

    /// Sibling sets of an active tree in ranking that still need rankings, excluding sets the user skipped,
    /// already ranked, or wrote a reply in. Pass no user for the unfiltered count (backlog activation).
    /// A set is incomplete while its parent has fewer completed rankings than required: the same measure the
    /// scoring check uses, so a tree can never be stuck between the two.
    public static func incompleteRankings(
        in tree: TreeSnapshot, for user: ContributorContext?, _ config: TreeManagerConfiguration
    ) -> [RankingCandidate] {
        guard tree.active, tree.state == .ranking else { return [] }
        return TreeTransitions.rankableParents(tree, config).compactMap { set -> RankingCandidate? in
            guard set.completedRankings < config.numRequiredRankings else { return nil }
            let replies = set.replyIDs.compactMap(tree.message)
            if let user {
                if user.hasSkipped(set.parentID, .skipRanking) { return nil }
                if !user.allowSelfRanking, replies.contains(where: { $0.authorID == user.userID }) { return nil }
                if !user.allowDuplicateTasks, user.rankedParentIDs.contains(set.parentID) { return nil }
            }
            return RankingCandidate(
                parentID: set.parentID, treeID: tree.id, role: replies.first?.role ?? .assistant,
                replyIDs: set.replyIDs, allSynthetic: replies.allSatisfy(\.synthetic))
        }
    }
}
