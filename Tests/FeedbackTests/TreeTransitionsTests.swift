import Foundation
import Testing
@testable import Feedback

@Suite struct TreeTransitionsTests {
    @Test func acceptedPromptEntersTheLottery() {
        let b = TreeBuilder(state: .initialPromptReview, rootAccepted: true)
        let decision = TreeTransitions.evaluate(b.tree, config)
        #expect(decision.transitions == [.promptLotteryWaiting])
        #expect(decision.finishedActiveTree)
    }

    @Test func rejectedPromptAbortsTheTree() {
        let b = TreeBuilder(state: .initialPromptReview, rootAccepted: false)
        #expect(TreeTransitions.evaluate(b.tree, config).transitions == [.abortedLowGrade])
    }

    @Test func promptUnderReviewStays() {
        let b = TreeBuilder(state: .initialPromptReview, rootAccepted: nil)
        #expect(!TreeTransitions.evaluate(b.tree, config).changesState)
    }

    @Test func growingTreeBelowGoalStays() {
        var b = TreeBuilder()
        b.reply(2, to: 1, by: bob)
        #expect(!TreeTransitions.evaluate(b.tree, config).changesState)
    }

    @Test func fullTreeMovesToRanking() {
        let b = TreeBuilder.fullTree()
        #expect(b.tree.size == 12)
        #expect(TreeTransitions.evaluate(b.tree, config).transitions == [.ranking])
    }

    @Test func fullTreeWaitsForPendingReviews() {
        var b = TreeBuilder.fullTree()
        b.reply(13, to: 8, by: alice, accepted: nil, reviews: 1)
        #expect(!TreeTransitions.evaluate(b.tree, config).changesState)
        // Once that reply is rejected after its reviews, nothing awaits review any more.
        b.tree.messages[b.tree.messages.count - 1].reviewResult = false
        b.tree.messages[b.tree.messages.count - 1].reviewCount = 3
        #expect(TreeTransitions.evaluate(b.tree, config).transitions == [.ranking])
    }

    @Test func rejectedAndDeletedRepliesDoNotCount() {
        var b = TreeBuilder.fullTree()
        b.tree.messages[11].reviewResult = false
        #expect(!TreeTransitions.evaluate(b.tree, config).changesState)
        b.tree.messages[11].reviewResult = true
        b.tree.messages[11].deleted = true
        #expect(!TreeTransitions.evaluate(b.tree, config).changesState)
    }

    @Test func treeWithEveryMessageDeletedIsHalted() {
        var b = TreeBuilder()
        b.tree.messages[0].deleted = true
        #expect(TreeTransitions.evaluate(b.tree, config).transitions == [.haltedByModerator])
    }

    @Test func rankingNeedsTheRequiredRankingsPerParent() {
        var b = TreeBuilder.fullTree()
        b.tree.state = .ranking
        // Rankable parents: the root (2, 3, 4), message 5 (8, 9) and message 6 (10, 11).
        #expect(TreeTransitions.rankableParents(b.tree, config).map(\.parentID) == [id(1), id(5), id(6)])
        for user in [bob, carol, dave] { b.rank(1, by: user, [2, 3, 4]) }
        for user in [alice, bob, carol] { b.rank(5, by: user, [9, 8]) }
        for user in [alice, bob] { b.rank(6, by: user, [10, 11]) }
        #expect(!TreeTransitions.evaluate(b.tree, config).changesState)

        b.rank(6, by: carol, [11, 10])
        let decision = TreeTransitions.evaluate(b.tree, config)
        #expect(decision.transitions == [.readyForScoring, .readyForExport])
        #expect(decision.ranks[id(2)] == 0)
        #expect(decision.ranks[id(3)] == 1)
        #expect(decision.ranks[id(4)] == 2)
        #expect(decision.ranks[id(9)] == 0)
        #expect(decision.ranks[id(8)] == 1)
        #expect(decision.ranks[id(10)] == 0)
        #expect(decision.ranks[id(11)] == 1)
        #expect(decision.finishedActiveTree)
    }

    @Test func rankingSurvivesAReplyDeletedBetweenRankings() {
        var b = TreeBuilder(goal: 4)
        b.reply(2, to: 1, by: bob)
        b.reply(3, to: 1, by: carol)
        b.reply(4, to: 1, by: dave)
        b.tree.state = .ranking
        b.rank(1, by: erin, [4, 2, 3])
        b.rank(1, by: alice, [4, 3, 2])
        b.tree.messages[3].deleted = true  // message 4 is deleted after two rankings
        b.rank(1, by: bob, [3, 2])
        let decision = TreeTransitions.evaluate(b.tree, config)
        #expect(decision.finalState == .readyForExport)
        #expect(decision.ranks[id(3)] == 0)
        #expect(decision.ranks[id(2)] == 1)
        // The deleted reply loses any rank.
        #expect(decision.ranks[id(4)] == .some(nil))
    }

    @Test func treeWithNothingToRankIsScoredAtOnce() {
        var b = TreeBuilder(goal: 2)
        b.reply(2, to: 1, by: bob)
        let decision = TreeTransitions.evaluate(b.tree, config)
        #expect(decision.transitions == [.ranking, .readyForScoring, .readyForExport])
        #expect(decision.ranks.isEmpty)
    }

    @Test func evaluationIsIdempotent() {
        var b = TreeBuilder(goal: 2)
        b.reply(2, to: 1, by: bob)
        let decision = TreeTransitions.evaluate(b.tree, config)
        b.tree.state = decision.finalState!
        b.tree.active = false
        #expect(!TreeTransitions.evaluate(b.tree, config).changesState)
    }

    @Test func scoringFailedIsRetried() {
        var b = TreeBuilder(goal: 2)
        b.reply(2, to: 1, by: bob)
        b.tree.state = .scoringFailed
        b.tree.active = false
        #expect(TreeTransitions.evaluate(b.tree, config).transitions == [.readyForExport])
    }

    @Test func prompterRepliesAreRankedOnlyWhenConfigured() {
        var b = TreeBuilder.fullTree()
        b.tree.state = .ranking
        var withPrompters = config
        withPrompters.rankPrompterReplies = true
        #expect(TreeTransitions.rankableParents(b.tree, config).count == 3)
        b.reply(13, to: 2, by: erin)  // a second prompter reply under message 2
        #expect(TreeTransitions.rankableParents(b.tree, config).count == 3)
        #expect(TreeTransitions.rankableParents(b.tree, withPrompters).count == 4)
    }

    @Test func inactiveTreesDoNotMove() {
        var b = TreeBuilder.fullTree()
        b.tree.active = false
        #expect(!TreeTransitions.evaluate(b.tree, config).changesState)
    }

    @Test func haltAndResume() {
        let grown = TreeBuilder.fullTree().tree
        let halt = TreeTransitions.halt(grown)
        #expect(halt.transitions == [.haltedByModerator])
        #expect(halt.finishedActiveTree)

        var halted = grown
        halted.state = .haltedByModerator
        halted.active = false
        // It had won the lottery: it grows again and, being full, moves on to ranking.
        #expect(TreeTransitions.resume(halted, config).transitions == [.growing, .ranking])

        var neverGrown = TreeBuilder(state: .initialPromptReview, rootAccepted: nil).tree
        neverGrown.state = .haltedByModerator
        neverGrown.active = false
        #expect(TreeTransitions.resume(neverGrown, config).transitions == [.initialPromptReview])
        #expect(TreeTransitions.resume(grown, config).transitions.isEmpty)
    }

    @Test func newTreeSettings() {
        var rng = SeededRandomNumberGenerator(seed: 1)
        let fixed = NewTreeSettings.forNewPrompt(config, using: &rng)
        #expect(fixed == NewTreeSettings(state: .initialPromptReview, goalTreeSize: 12, maxDepth: 3, maxChildrenCount: 3))
        var random = config
        random.randomGoalTreeSize = true
        for _ in 0..<50 {
            let goal = NewTreeSettings.forNewPrompt(random, using: &rng).goalTreeSize
            #expect((5...12).contains(goal))
        }
        #expect(NewTreeSettings.forExistingRoot(hasReplies: true, config).state == .growing)
        #expect(NewTreeSettings.forExistingRoot(hasReplies: false, config).state == .initialPromptReview)
        #expect(NewTreeSettings.forImport(intoRanking: false, config).state == .backlogRanking)
        #expect(NewTreeSettings.forImport(intoRanking: false, config).goalTreeSize == 0)
    }
}

@Suite struct ModerationAndBacklogTests {
    @Test func redFlaggedPromptAbortsTheTree() {
        var b = TreeBuilder(state: .initialPromptReview, rootAccepted: nil)
        b.tree.messages[0].emojis[.redFlag] = 4
        #expect(AutoModeration.actions(for: b.tree, config) == [.abortTree])
        b.tree.messages[0].emojis[.redFlag] = 3
        #expect(AutoModeration.actions(for: b.tree, config) == [])
    }

    @Test func redFlaggedReplyIsDeletedWithItsSubtree() {
        var b = TreeBuilder.fullTree()
        b.tree.messages[4].emojis[.redFlag] = 5  // message 5
        #expect(AutoModeration.actions(for: b.tree, config) == [.deleteSubtree(id(5))])
        #expect(Set(AutoModeration.subtree(of: id(5), in: b.tree)) == [id(5), id(8), id(9)])
        #expect(AutoModeration.pathToRoot(of: id(8), in: b.tree) == [id(8), id(5), id(2), id(1)])
    }

    @Test func skippedMessageHaltsTheTree() {
        var b = TreeBuilder.fullTree()
        b.tree.messages[2].emojis[.skipReply] = 25
        #expect(AutoModeration.actions(for: b.tree, config) == [.haltTree])
        var off = config
        off.autoModEnabled = false
        #expect(AutoModeration.actions(for: b.tree, off) == [])
        b.tree.state = .ranking
        #expect(AutoModeration.actions(for: b.tree, config) == [])
    }

    @Test func backlogActivation() {
        var rng = SeededRandomNumberGenerator(seed: 7)
        var never = config
        never.pActivateBacklogTree = 0
        #expect(!BacklogRules.shouldActivate(incompleteRankingsInLang: 0, never, using: &rng))
        never.minActiveRankingsPerLang = 2
        #expect(BacklogRules.shouldActivate(incompleteRankingsInLang: 1, never, using: &rng))
        #expect(!BacklogRules.shouldActivate(incompleteRankingsInLang: 2, never, using: &rng))
        var always = config
        always.pActivateBacklogTree = 1
        #expect(BacklogRules.shouldActivate(incompleteRankingsInLang: 99, always, using: &rng))

        var backlog = TreeBuilder.fullTree().tree
        backlog.state = .backlogRanking
        #expect(BacklogRules.activationState(for: backlog, config) == .ranking)
        let lone = TreeBuilder(state: .backlogRanking).tree
        #expect(BacklogRules.activationState(for: lone, config) == .abortedLowGrade)
    }

    @Test func promptLottery() {
        let counts = PromptLottery.LanguageCounts(growing: 8, initialPromptReview: 30, promptLotteryWaiting: 5)
        #expect(PromptLottery.treesToActivate(counts, maxActivations: 2, config) == 2)
        #expect(PromptLottery.treesToActivate(counts, maxActivations: 5, config) == 2)
        let empty = PromptLottery.LanguageCounts(growing: 0, initialPromptReview: 0, promptLotteryWaiting: 0)
        #expect(PromptLottery.treesToActivate(empty, maxActivations: 2, config) == 0)
        // min(2 missing growing + 70 review slots, 245 lottery slots)
        #expect(PromptLottery.missingPrompts(counts, lang: "en", config) == 72)
        let crowded = PromptLottery.LanguageCounts(growing: 10, initialPromptReview: 100, promptLotteryWaiting: 250)
        #expect(PromptLottery.missingPrompts(crowded, lang: "en", config) == 0)
        var disabled = config
        disabled.initPromptDisabledLangs = ["de"]
        #expect(PromptLottery.missingPrompts(counts, lang: "de", disabled) == 0)
    }

    @Test func lotteryFavoursAuthorsWhoseRepliesWin() {
        let entries = [
            PromptLottery.Entry(treeID: id(10), authorID: alice, authorRankedFirstThisMonth: 9),
            PromptLottery.Entry(treeID: id(11), authorID: bob, authorRankedFirstThisMonth: 0),
        ]
        var rng = SeededRandomNumberGenerator(seed: 42)
        var wins: [UUID: Int] = [:]
        for _ in 0..<1100 { wins[PromptLottery.draw(entries, using: &rng)!, default: 0] += 1 }
        // Expected 10 : 1.
        #expect((900...1050).contains(wins[id(10)] ?? 0))
        #expect(PromptLottery.draw([], using: &rng) == nil)

        var first = SeededRandomNumberGenerator(seed: 3)
        var second = SeededRandomNumberGenerator(seed: 3)
        #expect(PromptLottery.draw(entries, using: &first) == PromptLottery.draw(entries.reversed(), using: &second))

        let waiting = TreeBuilder(state: .promptLotteryWaiting).tree
        #expect(PromptLottery.activation(of: waiting).transitions == [.growing])
    }
}
