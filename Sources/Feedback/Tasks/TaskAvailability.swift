/// How many tasks of each kind a contributor could get now (shown on the dashboard, and checked before
/// serving a task of an explicit kind).
public struct TaskAvailability: Sendable, Equatable {
    public var counts: [TaskKind: Int]

    public init(_ candidates: TaskCandidates, _ config: TreeManagerConfiguration) {
        var counts = Dictionary(uniqueKeysWithValues: TaskKind.allCases.map { ($0, 0) })
        counts[.initialPrompt] = max(0, candidates.missingPrompts)
        for parent in candidates.extendibleParents { counts[parent.replyKind, default: 0] += 1 }
        counts[.labelInitialPrompt] = candidates.promptsNeedingReview.count
        for reply in candidates.repliesNeedingReview { counts[reply.kind, default: 0] += 1 }
        for ranking in candidates.incompleteRankings where config.rankedRoles.contains(ranking.role) {
            counts[ranking.kind, default: 0] += 1
        }
        self.counts = counts
    }

    public subscript(kind: TaskKind) -> Int { counts[kind] ?? 0 }

    /// What "random" offers: the sum over all kinds.
    public var total: Int { counts.values.reduce(0, +) }
}
