/// Imported trees wait in `backlog_ranking` and are fed into ranking as active trees finish.
public enum BacklogRules {
    /// Whether to activate one backlog tree of the language after an active tree entered a terminal state:
    /// by chance (`pActivateBacklogTree`), or because too few rankings are open in the language.
    public static func shouldActivate(
        incompleteRankingsInLang: Int, _ config: TreeManagerConfiguration,
        using rng: inout some RandomNumberGenerator
    ) -> Bool {
        if Double.random(in: 0..<1, using: &rng) < config.pActivateBacklogTree { return true }
        return config.minActiveRankingsPerLang > 0 && incompleteRankingsInLang < config.minActiveRankingsPerLang
    }

    /// Where a backlog tree goes when activated: ranking, or aborted when it has nothing to rank.
    /// Follow with `TreeTransitions.evaluate` on the activated tree.
    public static func activationState(for tree: TreeSnapshot, _ config: TreeManagerConfiguration) -> TreeState {
        TreeTransitions.rankableParents(tree, config).isEmpty ? .abortedLowGrade : .ranking
    }
}
