/// Chooses the next task (Open Assistant's `next_task` and `_random_task_selection`).
public enum TaskPicker {
    /// How many candidates each weighted class has.
    public static func classCounts(_ candidates: TaskCandidates, _ config: TreeManagerConfiguration) -> [TaskClass: Int] {
        [
            .ranking: candidates.incompleteRankings.filter { config.rankedRoles.contains($0.role) }.count,
            .labelReply: candidates.repliesNeedingReview.count,
            .labelPrompt: candidates.promptsNeedingReview.count,
            .reply: candidates.extendibleParents.isEmpty ? 0 : candidates.missingReplies,
            .prompt: candidates.missingPrompts,
        ]
    }

    /// Draws a class among those with candidates, by the configured weights.
    public static func randomClass(
        _ candidates: TaskCandidates, _ config: TreeManagerConfiguration, using rng: inout some RandomNumberGenerator
    ) -> TaskClass? {
        let counts = classCounts(candidates, config)
        let options = TaskClass.allCases.map { ($0, (counts[$0] ?? 0) > 0 ? config.taskWeights.weight(of: $0) : 0) }
        return WeightedChoice.pick(options, using: &rng)
    }

    /// The next task: of the requested kind, or of a random class when `requested` is nil. Nil when nothing fits
    /// (the page says "no task of this kind right now").
    public static func pick(
        _ requested: TaskKind?, from candidates: TaskCandidates, _ config: TreeManagerConfiguration,
        using rng: inout some RandomNumberGenerator
    ) -> TaskChoice? {
        let taskClass: TaskClass
        if let requested {
            guard TaskAvailability(candidates, config)[requested] > 0 else { return nil }
            taskClass = requested.taskClass
        } else {
            guard let drawn = randomClass(candidates, config, using: &rng) else { return nil }
            taskClass = drawn
        }
        let isRandom = requested == nil

        switch taskClass {
        case .prompt:
            return .initialPrompt
        case .ranking:
            let pool = candidates.incompleteRankings.filter {
                config.rankedRoles.contains($0.role) && (requested == nil || $0.kind == requested)
            }
            guard let chosen = pool.randomElement(using: &rng) else { return nil }
            return .ranking(
                kind: chosen.kind, parentID: chosen.parentID, treeID: chosen.treeID,
                replyIDs: chosen.replyIDs.shuffled(using: &rng), revealSynthetic: chosen.allSynthetic)
        case .labelPrompt, .labelReply:
            let source = taskClass == .labelPrompt ? candidates.promptsNeedingReview : candidates.repliesNeedingReview
            let pool = source.filter { requested == nil || $0.kind == requested }
            guard let chosen = pool.randomElement(using: &rng) else { return nil }
            let mode = labelMode(for: chosen.kind, isRandomRequest: isRandom, config, using: &rng)
            return .label(
                kind: chosen.kind, messageID: chosen.messageID, treeID: chosen.treeID,
                labels: config.labelSet(for: chosen.kind, mode: mode))
        case .reply:
            let pool = candidates.extendibleParents.filter { requested == nil || $0.replyKind == requested }
            guard let chosen = replyParent(from: pool, config, using: &rng) else { return nil }
            return .reply(kind: chosen.replyKind, parentID: chosen.parentID, treeID: chosen.treeID)
        }
    }

    /// Full labeling unless a random request loses the `pFullLabeling` draw; an explicitly chosen label task is
    /// always full.
    public static func labelMode(
        for kind: TaskKind, isRandomRequest: Bool, _ config: TreeManagerConfiguration,
        using rng: inout some RandomNumberGenerator
    ) -> LabelMode {
        guard isRandomRequest else { return .full }
        return Double.random(in: 0..<1, using: &rng) < config.pFullLabeling(for: kind) ? .full : .simple
    }

    /// With probability `pLonelyChildExtension`, a prompter parent that has some but fewer than
    /// `lonelyChildrenCount` replies, so rankable sibling sets form; otherwise any parent.
    public static func replyParent(
        from parents: [ExtendibleParent], _ config: TreeManagerConfiguration,
        using rng: inout some RandomNumberGenerator
    ) -> ExtendibleParent? {
        guard !parents.isEmpty else { return nil }
        if config.pLonelyChildExtension > 0, config.lonelyChildrenCount > 1 {
            let lonely = parents.filter {
                $0.parentRole == .prompter && $0.activeChildrenCount > 0
                    && $0.activeChildrenCount < config.lonelyChildrenCount
            }
            if !lonely.isEmpty, Double.random(in: 0..<1, using: &rng) < config.pLonelyChildExtension {
                return lonely.randomElement(using: &rng)
            }
        }
        return parents.randomElement(using: &rng)
    }
}
