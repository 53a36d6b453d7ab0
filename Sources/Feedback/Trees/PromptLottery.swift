import Foundation

/// Accepted prompts wait in `prompt_lottery_waiting`; the lottery moves them into `growing` while fewer than
/// `maxActiveTrees` trees of the language grow. Authors whose replies often come first are drawn more often.
public enum PromptLottery {
    /// Tree counts of one language.
    public struct LanguageCounts: Sendable, Equatable {
        public var growing: Int
        public var initialPromptReview: Int
        public var promptLotteryWaiting: Int

        public init(growing: Int, initialPromptReview: Int, promptLotteryWaiting: Int) {
            self.growing = growing
            self.initialPromptReview = initialPromptReview
            self.promptLotteryWaiting = promptLotteryWaiting
        }
    }

    /// An accepted, non-deleted prompt in the lottery, whose author is enabled and not deleted.
    public struct Entry: Sendable, Equatable {
        public var treeID: UUID
        public var authorID: UUID
        /// How often the author's replies came first by consensus this month.
        public var authorRankedFirstThisMonth: Int

        public init(treeID: UUID, authorID: UUID, authorRankedFirstThisMonth: Int) {
            self.treeID = treeID
            self.authorID = authorID
            self.authorRankedFirstThisMonth = authorRankedFirstThisMonth
        }
    }

    /// How many trees the lottery should activate now (at most `maxActivations`, e.g.
    /// `lotteryActivationsPerTaskRequest`).
    public static func treesToActivate(
        _ counts: LanguageCounts, maxActivations: Int, _ config: TreeManagerConfiguration
    ) -> Int {
        max(0, min(maxActivations, config.maxActiveTrees - counts.growing, counts.promptLotteryWaiting))
    }

    /// How many new initial prompts are wanted in the language (0 when it is disabled). Gates initial-prompt tasks.
    public static func missingPrompts(_ counts: LanguageCounts, lang: String, _ config: TreeManagerConfiguration)
        -> Int
    {
        if config.initPromptDisabledLangs.contains(lang) { return 0 }
        let missingGrowing = max(0, config.maxActiveTrees - counts.growing)
        let remainingReview = max(0, config.maxInitialPromptReview - counts.initialPromptReview)
        let remainingLottery = max(0, config.maxPromptLotteryWaiting - counts.promptLotteryWaiting)
        return min(missingGrowing + remainingReview, remainingLottery)
    }

    /// Draws a winner: first an author, weighted by `rankedFirst + 1` (so a new author can still win), then one
    /// of that author's prompts uniformly. Deterministic for a given generator: entries are ordered by id first.
    public static func draw(_ entries: [Entry], using rng: inout some RandomNumberGenerator) -> UUID? {
        var weightByAuthor: [UUID: Int] = [:]
        var promptsByAuthor: [UUID: [UUID]] = [:]
        for entry in entries {
            weightByAuthor[entry.authorID] = max(0, entry.authorRankedFirstThisMonth) + 1
            promptsByAuthor[entry.authorID, default: []].append(entry.treeID)
        }
        let authors = weightByAuthor.keys.sorted()
        guard !authors.isEmpty else { return nil }
        let total = authors.reduce(0) { $0 + weightByAuthor[$1]! }
        var ticket = Int.random(in: 0..<total, using: &rng)
        var winner = authors[0]
        for author in authors {
            ticket -= weightByAuthor[author]!
            if ticket < 0 {
                winner = author
                break
            }
        }
        return promptsByAuthor[winner]!.sorted().randomElement(using: &rng)
    }

    /// The decision for the winning tree: it starts growing.
    public static func activation(of tree: TreeSnapshot) -> TreeDecision {
        var decision = TreeDecision()
        guard tree.state == .promptLotteryWaiting else { return decision }
        decision.transitions = [.growing]
        return decision
    }
}
