import Foundation
import Testing
@testable import Feedback

@Suite struct CandidateRulesTests {
    func parents(_ tree: TreeSnapshot, for user: UUID = erin, locked: Set<UUID> = [], context: ContributorContext? = nil)
        -> [UUID]
    {
        CandidateRules.extendibleParents(
            in: tree, for: context ?? ContributorContext(userID: user), softLockedParents: locked, config
        ).map(\.parentID)
    }

    @Test func maxChildrenAndOnePrompterReplyPerAssistantMessage() {
        var b = TreeBuilder()
        b.reply(2, to: 1, by: bob)
        b.reply(3, to: 1, by: carol)
        #expect(parents(b.tree) == [id(1), id(2), id(3)])
        b.reply(4, to: 1, by: dave)
        // The root has its 3 children; each assistant message takes one prompter reply.
        #expect(parents(b.tree) == [id(2), id(3), id(4)])
        b.reply(5, to: 2, by: carol)
        #expect(parents(b.tree) == [id(3), id(4), id(5)])
    }

    @Test func maxDepth() {
        var b = TreeBuilder()
        b.reply(2, to: 1, by: bob)
        b.reply(3, to: 2, by: carol)
        b.reply(4, to: 3, by: dave)
        #expect(b.tree.message(id(4))!.depth == 3)
        // Message 4 sits at the maximum depth and takes no reply.
        #expect(!parents(b.tree).contains(id(4)))
        #expect(parents(b.tree).contains(id(3)))
    }

    @Test func rejectedRepliesFreeTheirSlotButUnderReviewOnesHoldIt() {
        var b = TreeBuilder()
        b.reply(2, to: 1, by: bob)
        b.reply(3, to: 1, by: carol, accepted: nil, reviews: 1)
        b.reply(4, to: 1, by: dave, accepted: false)
        // 2 accepted/under review < 3: still extendible; 3 (under review) and 4 (rejected) are no parents.
        #expect(parents(b.tree) == [id(1), id(2)])
        b.reply(5, to: 1, by: alice, accepted: nil, reviews: 0)
        #expect(parents(b.tree) == [id(2)])
    }

    @Test func userRepliesOncePerParentAndSkipsAndLocksExclude() {
        var b = TreeBuilder()
        b.reply(2, to: 1, by: bob)
        #expect(!parents(b.tree, for: bob).contains(id(1)))
        #expect(parents(b.tree, for: carol).contains(id(1)))
        #expect(!parents(b.tree, locked: [id(1)]).contains(id(1)))
        let skipper = ContributorContext(userID: erin, skipped: [.skipReply: [id(2)]])
        #expect(parents(b.tree, context: skipper) == [id(1)])
    }

    @Test func treeAtGoalTakesNoMoreReplies() {
        var b = TreeBuilder(goal: 3)
        b.reply(2, to: 1, by: bob)
        #expect(!parents(b.tree).isEmpty)
        b.reply(3, to: 1, by: carol, accepted: nil, reviews: 0)
        #expect(b.tree.occupiedSize(config) == 3)
        #expect(parents(b.tree).isEmpty)
        var growingOnly = b.tree
        growingOnly.goalTreeSize = 12
        growingOnly.state = .ranking
        #expect(parents(growingOnly).isEmpty)
    }

    @Test func softLockExpiresAfterFiveMinutes() {
        let now = Date(timeIntervalSince1970: 1_000_000)
        let open = [
            OpenReplyTask(parentID: id(1), createdAt: now.addingTimeInterval(-60)),
            OpenReplyTask(parentID: id(2), createdAt: now.addingTimeInterval(-301)),
        ]
        #expect(TaskLimits.softLockedParents(open, now: now, config) == [id(1)])
    }

    @Test func pendingTaskCap() {
        let now = Date(timeIntervalSince1970: 1_000_000)
        let recent = Array(repeating: now.addingTimeInterval(-10), count: 7)
        #expect(TaskLimits.allowsNewTask(pendingTaskCreationDates: recent, now: now, config))
        #expect(!TaskLimits.allowsNewTask(pendingTaskCreationDates: recent + [now], now: now, config))
        // Old open tasks do not count.
        let old = recent + [now.addingTimeInterval(-400)]
        #expect(TaskLimits.allowsNewTask(pendingTaskCreationDates: old, now: now, config))
        #expect(TaskLimits.isExpired(createdAt: now.addingTimeInterval(-2 * 86400), now: now, .default))
        #expect(!TaskLimits.isExpired(createdAt: now.addingTimeInterval(-86400), now: now, .default))
    }

    @Test func reviewCandidates() {
        var b = TreeBuilder()
        b.reply(2, to: 1, by: bob, accepted: nil, reviews: 1)
        b.reply(3, to: 1, by: carol, accepted: nil, reviews: 3)  // reviews complete, awaiting decision
        b.reply(4, to: 1, by: dave, accepted: false, reviews: 2)  // rejected early (e.g. imported), still reviewable
        b.reply(5, to: 1, by: erin, accepted: nil, reviews: 0, deleted: true)
        func review(_ user: ContributorContext) -> [UUID] {
            CandidateRules.messagesNeedingReview(in: b.tree, for: user, config).map(\.messageID)
        }
        #expect(review(ContributorContext(userID: alice)) == [id(2), id(4)])
        #expect(review(ContributorContext(userID: bob)) == [id(4)])  // no self-review
        #expect(review(ContributorContext(userID: alice, labeledMessageIDs: [id(2)])) == [id(4)])  // no repeat
        #expect(review(ContributorContext(userID: alice, skipped: [.skipLabeling: [id(4)]])) == [id(2)])

        let prompt = TreeBuilder(state: .initialPromptReview, rootAccepted: nil).tree
        let roots = CandidateRules.messagesNeedingReview(in: prompt, for: ContributorContext(userID: bob), config)
        #expect(roots.map(\.kind) == [.labelInitialPrompt])
        #expect(CandidateRules.messagesNeedingReview(in: prompt, for: ContributorContext(userID: alice), config).isEmpty)
    }

    @Test func rankingCandidates() {
        var b = TreeBuilder.fullTree()
        b.tree.state = .ranking
        func ranking(_ user: ContributorContext?) -> [UUID] {
            CandidateRules.incompleteRankings(in: b.tree, for: user, config).map(\.parentID)
        }
        #expect(ranking(nil) == [id(1), id(5), id(6)])
        // Bob wrote message 2 (under the root) and message 6's parent is his, but its replies are by dave/erin.
        #expect(ranking(ContributorContext(userID: bob)) == [id(5), id(6)])
        #expect(ranking(ContributorContext(userID: alice)) == [id(1), id(5), id(6)])
        #expect(ranking(ContributorContext(userID: alice, rankedParentIDs: [id(5)])) == [id(1), id(6)])
        #expect(ranking(ContributorContext(userID: alice, skipped: [.skipRanking: [id(1)]])) == [id(5), id(6)])
        for user in [bob, carol, dave] { b.rank(1, by: user, [2, 3, 4]) }
        #expect(ranking(nil) == [id(5), id(6)])
    }

    @Test func syntheticFlagIsRevealedOnlyWhenEveryReplyIsSynthetic() {
        var b = TreeBuilder(state: .ranking, goal: 3)
        b.reply(2, to: 1, by: bob, synthetic: true)
        b.reply(3, to: 1, by: carol, synthetic: true)
        #expect(CandidateRules.incompleteRankings(in: b.tree, for: nil, config).first?.allSynthetic == true)
        b.tree.messages[2].synthetic = false
        #expect(CandidateRules.incompleteRankings(in: b.tree, for: nil, config).first?.allSynthetic == false)
    }
}

@Suite struct TaskPickerTests {
    func sampleCandidates() -> TaskCandidates {
        var c = TaskCandidates()
        c.incompleteRankings = [
            RankingCandidate(parentID: id(1), treeID: id(1), role: .assistant, replyIDs: [id(2), id(3), id(4)], allSynthetic: false)
        ]
        c.repliesNeedingReview = [
            ReviewCandidate(messageID: id(20), treeID: id(1), role: .assistant, isRoot: false),
            ReviewCandidate(messageID: id(21), treeID: id(1), role: .prompter, isRoot: false),
        ]
        c.promptsNeedingReview = [ReviewCandidate(messageID: id(30), treeID: id(30), role: .prompter, isRoot: true)]
        c.extendibleParents = [
            ExtendibleParent(parentID: id(40), treeID: id(40), parentRole: .prompter, depth: 0, activeChildrenCount: 1),
            ExtendibleParent(parentID: id(41), treeID: id(40), parentRole: .assistant, depth: 1, activeChildrenCount: 0),
            ExtendibleParent(parentID: id(42), treeID: id(40), parentRole: .prompter, depth: 2, activeChildrenCount: 0),
        ]
        c.missingReplies = 9
        c.missingPrompts = 50
        return c
    }

    @Test func availabilityCountsPerKind() {
        let availability = TaskAvailability(sampleCandidates(), config)
        #expect(availability[.initialPrompt] == 50)
        #expect(availability[.assistantReply] == 2)
        #expect(availability[.prompterReply] == 1)
        #expect(availability[.rankAssistantReplies] == 1)
        #expect(availability[.rankPrompterReplies] == 0)
        #expect(availability[.rankInitialPrompts] == 0)
        #expect(availability[.labelInitialPrompt] == 1)
        #expect(availability[.labelAssistantReply] == 1)
        #expect(availability[.labelPrompterReply] == 1)
        #expect(availability.total == 57)
    }

    @Test func randomClassFollowsTheWeights() {
        var rng = SeededRandomNumberGenerator(seed: 11)
        var drawn: [TaskClass: Int] = [:]
        let candidates = sampleCandidates()
        for _ in 0..<22_001 {
            drawn[TaskPicker.randomClass(candidates, config, using: &rng)!, default: 0] += 1
        }
        // Weights 10 : 5 : 5 : 2 : 0.01 of 22.01.
        #expect((9_600...10_400).contains(drawn[.ranking] ?? 0))
        #expect((4_700...5_300).contains(drawn[.labelReply] ?? 0))
        #expect((4_700...5_300).contains(drawn[.labelPrompt] ?? 0))
        #expect((1_800...2_200).contains(drawn[.reply] ?? 0))
        #expect((1...40).contains(drawn[.prompt] ?? 0))
    }

    @Test func classesWithoutCandidatesAreNeverDrawn() {
        var c = TaskCandidates()
        c.missingPrompts = 1
        var rng = SeededRandomNumberGenerator(seed: 1)
        for _ in 0..<20 { #expect(TaskPicker.pick(nil, from: c, config, using: &rng) == .initialPrompt) }
        #expect(TaskPicker.pick(nil, from: TaskCandidates(), config, using: &rng) == nil)
        #expect(TaskPicker.pick(.assistantReply, from: c, config, using: &rng) == nil)
    }

    @Test func explicitKindsGetTheirTask() {
        var rng = SeededRandomNumberGenerator(seed: 5)
        let c = sampleCandidates()
        guard case .ranking(let kind, let parent, _, let replies, let reveal)? = TaskPicker.pick(
            .rankAssistantReplies, from: c, config, using: &rng)
        else { Issue.record("expected a ranking"); return }
        #expect(kind == .rankAssistantReplies && parent == id(1) && !reveal)
        #expect(Set(replies) == [id(2), id(3), id(4)])

        let label = TaskPicker.pick(.labelPrompterReply, from: c, config, using: &rng)
        #expect(label == .label(
            kind: .labelPrompterReply, messageID: id(21), treeID: id(1),
            labels: config.labelSet(for: .labelPrompterReply, mode: .full)))
        #expect(TaskPicker.pick(.prompterReply, from: c, config, using: &rng) == .reply(kind: .prompterReply, parentID: id(41), treeID: id(40)))
        #expect(TaskPicker.pick(.initialPrompt, from: c, config, using: &rng) == .initialPrompt)
    }

    @Test func rankingRepliesAreShuffledPerDraw() {
        var c = TaskCandidates()
        c.incompleteRankings = [
            RankingCandidate(parentID: id(1), treeID: id(1), role: .assistant, replyIDs: (2...7).map(id), allSynthetic: true)
        ]
        var rng = SeededRandomNumberGenerator(seed: 9)
        var orders = Set<[UUID]>()
        for _ in 0..<10 {
            if case .ranking(_, _, _, let replies, let reveal)? = TaskPicker.pick(nil, from: c, config, using: &rng) {
                orders.insert(replies)
                #expect(reveal)
            }
        }
        #expect(orders.count > 1)
    }

    @Test func lonelyChildrenArePreferred() {
        var rng = SeededRandomNumberGenerator(seed: 2)
        let parents = sampleCandidates().extendibleParents
        var lonely = 0
        for _ in 0..<4000 where TaskPicker.replyParent(from: parents, config, using: &rng)?.parentID == id(40) {
            lonely += 1
        }
        // 0.75 + 0.25 / 3 ≈ 0.833.
        #expect((3_200...3_470).contains(lonely))
        var off = config
        off.pLonelyChildExtension = 0
        lonely = 0
        for _ in 0..<3000 where TaskPicker.replyParent(from: parents, off, using: &rng)?.parentID == id(40) {
            lonely += 1
        }
        #expect((880...1120).contains(lonely))
    }

    @Test func labelModeFollowsTheConfiguredProbability() {
        var rng = SeededRandomNumberGenerator(seed: 4)
        var full = 0
        for _ in 0..<4000 where TaskPicker.labelMode(for: .labelPrompterReply, isRandomRequest: true, config, using: &rng) == .full {
            full += 1
        }
        // The configured 0.25 is used (Open Assistant overwrote it with 0.1).
        #expect((900...1100).contains(full))
        #expect(TaskPicker.labelMode(for: .labelPrompterReply, isRandomRequest: false, config, using: &rng) == .full)
        #expect(TaskPicker.labelMode(for: .labelAssistantReply, isRandomRequest: true, config, using: &rng) == .full)
    }

    @Test func choicesRoundTripAsTaskPayloads() throws {
        let choice = TaskChoice.ranking(
            kind: .rankAssistantReplies, parentID: id(1), treeID: id(1), replyIDs: [id(3), id(2)], revealSynthetic: false)
        let data = try JSONEncoder().encode(choice)
        #expect(try JSONDecoder().decode(TaskChoice.self, from: data) == choice)
        #expect(choice.kind == .rankAssistantReplies && choice.subjectMessageID == id(1))
    }

    @Test func samePickForTheSameSeed() {
        var first = SeededRandomNumberGenerator(seed: 123)
        var second = SeededRandomNumberGenerator(seed: 123)
        for _ in 0..<20 {
            #expect(TaskPicker.pick(nil, from: sampleCandidates(), config, using: &first)
                == TaskPicker.pick(nil, from: sampleCandidates(), config, using: &second))
        }
    }

    @Test func candidatesFromTrees() {
        var growing = TreeBuilder()
        growing.reply(2, to: 1, by: bob)
        growing.reply(3, to: 1, by: carol, accepted: nil, reviews: 1)
        var ranking = TreeBuilder.fullTree()
        ranking.tree.id = id(500)
        ranking.tree.state = .ranking
        let c = CandidateRules.candidates(
            in: [growing.tree, ranking.tree], for: ContributorContext(userID: erin), missingPrompts: 3, config)
        #expect(c.extendibleParents.map(\.parentID) == [id(1), id(2)])
        #expect(c.missingReplies == 9)  // 12 − (root + 2 replies)
        #expect(c.repliesNeedingReview.map(\.messageID) == [id(3)])
        // erin wrote replies under 5 and 6; only the root's set is left for her.
        #expect(c.incompleteRankings.map(\.parentID) == [id(1)])
        #expect(c.missingPrompts == 3)
    }
}
