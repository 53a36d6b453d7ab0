import Foundation
import Testing
@testable import Feedback

@Suite struct SyntheticReplyRulesTests {
    let model = id(999)
    let two = SyntheticReplyPolicy(repliesPerPrompt: 2, maxRepliesPerHour: 10, maxConcurrentGenerations: 2)

    func targets(_ tree: TreeSnapshot, _ policy: SyntheticReplyPolicy? = nil, open: [UUID: Int] = [:]) -> [UUID] {
        SyntheticReplyRules.targets(in: [tree], openHumanReplyTasks: open, policy ?? two, config).map(\.parentID)
    }

    @Test func offPolicyWritesNothing() {
        #expect(targets(TreeBuilder().tree, .off).isEmpty)
        #expect(SyntheticReplyRules.generationsToStart(writtenInLastHour: 0, running: 0, .off) == 0)
    }

    @Test func onlyAcceptedPromptsOfGrowingTreesGetModelReplies() {
        var b = TreeBuilder()
        b.reply(2, to: 1, by: bob)
        b.reply(3, to: 2, by: carol)
        b.reply(4, to: 2, by: dave, accepted: nil, reviews: 0)
        // The root and the accepted prompter reply qualify; an assistant message never does.
        #expect(targets(b.tree) == [id(1), id(3)])
        #expect(targets(TreeBuilder(rootAccepted: nil).tree).isEmpty, "a prompt under review gets no reply")
        #expect(targets(TreeBuilder(state: .ranking).tree).isEmpty)
        #expect(targets(TreeBuilder(state: .initialPromptReview).tree).isEmpty)
        var full = TreeBuilder(goal: 2)
        full.reply(2, to: 1, by: bob)
        #expect(targets(full.tree).isEmpty, "a tree at its goal takes no more replies")
    }

    @Test func modelRepliesStopAtTheirCountAndLeaveASlotForPeople() {
        var b = TreeBuilder()
        b.reply(2, to: 1, by: model, accepted: nil, reviews: 0, synthetic: true)
        #expect(targets(b.tree) == [id(1)])
        b.reply(3, to: 1, by: model, accepted: nil, reviews: 0, synthetic: true)
        #expect(targets(b.tree).isEmpty, "two model replies were wanted")
        // Even when more are wanted, the last of the three slots stays for a human reply.
        let many = SyntheticReplyPolicy(repliesPerPrompt: 5, maxRepliesPerHour: 10, maxConcurrentGenerations: 1)
        #expect(SyntheticReplyRules.allowedReplies(in: b.tree, many) == 2)
        #expect(targets(b.tree, many).isEmpty)
        #expect(CandidateRules.extendibleParents(in: b.tree, for: ContributorContext(userID: erin), config).map(\.parentID).contains(id(1)))
    }

    @Test func rejectedModelRepliesAreNotWrittenAgain() {
        var b = TreeBuilder()
        b.reply(2, to: 1, by: model, accepted: false, synthetic: true)
        b.reply(3, to: 1, by: model, accepted: nil, reviews: 0, deleted: true, synthetic: true)
        #expect(targets(b.tree).isEmpty)
    }

    @Test func humanRepliesAndOpenTasksKeepTheirRoom() {
        var b = TreeBuilder()
        b.reply(2, to: 1, by: bob)
        b.reply(3, to: 1, by: carol)
        // Two human replies and a third person writing: the last slot is theirs.
        #expect(targets(b.tree, open: [id(1): 1]).isEmpty)
        #expect(targets(b.tree) == [id(1)])
        b.reply(4, to: 1, by: dave)
        #expect(targets(b.tree).isEmpty, "the parent has its three children")
    }

    @Test func shallowPromptsComeFirst() {
        var a = TreeBuilder()
        a.tree.id = id(500)
        a.reply(2, to: 1, by: bob)
        a.reply(3, to: 2, by: carol)
        let b = TreeBuilder()
        let found = SyntheticReplyRules.targets(in: [a.tree, b.tree], two, config)
        #expect(found.map(\.depth) == [0, 0, 2])
    }

    @Test func budgetCountsRunningGenerationsAgainstHourAndConcurrency() {
        let policy = SyntheticReplyPolicy(repliesPerPrompt: 1, maxRepliesPerHour: 5, maxConcurrentGenerations: 2)
        #expect(SyntheticReplyRules.generationsToStart(writtenInLastHour: 0, running: 0, policy) == 2)
        #expect(SyntheticReplyRules.generationsToStart(writtenInLastHour: 0, running: 1, policy) == 1)
        #expect(SyntheticReplyRules.generationsToStart(writtenInLastHour: 0, running: 2, policy) == 0)
        #expect(SyntheticReplyRules.generationsToStart(writtenInLastHour: 4, running: 0, policy) == 1)
        #expect(SyntheticReplyRules.generationsToStart(writtenInLastHour: 3, running: 2, policy) == 0)
        #expect(SyntheticReplyRules.generationsToStart(writtenInLastHour: 9, running: 0, policy) == 0)
    }

    @Test func rankingHidesTheModelWhenAnyHumanReplyIsInTheSet() {
        var b = TreeBuilder(state: .ranking)
        b.reply(2, to: 1, by: model, synthetic: true)
        b.reply(3, to: 1, by: bob)
        let mixed = CandidateRules.incompleteRankings(in: b.tree, for: ContributorContext(userID: erin), config)
        #expect(mixed.count == 1 && mixed[0].allSynthetic == false)
        var m = TreeBuilder(state: .ranking)
        m.reply(2, to: 1, by: model, synthetic: true)
        m.reply(3, to: 1, by: model, synthetic: true)
        #expect(CandidateRules.incompleteRankings(in: m.tree, for: ContributorContext(userID: erin), config).first?.allSynthetic == true)
    }
}
