import Foundation
import Testing
@testable import Feedback

/// Contributors take random tasks against one tree, in memory, until it is ready for export: the rules together
/// must never leave a tree stuck with the default configuration.
@Suite struct TreeLifecycleSimulationTests {
    @Test(arguments: [1, 2, 3] as [UInt64])
    func defaultTreeReachesExport(seed: UInt64) throws {
        var rng = SeededRandomNumberGenerator(seed: seed)
        let users = (0..<8).map { id(700 + $0) }
        var contexts = Dictionary(uniqueKeysWithValues: users.map { ($0, ContributorContext(userID: $0)) })
        var reviews: [UUID: [LabelValues]] = [:]
        var nextMessage = 2
        var tree = TreeSnapshot(
            id: id(1), state: .initialPromptReview,
            messages: [MessageSnapshot(id: id(1), authorID: users[0], role: .prompter)])

        for _ in 0..<3000 where tree.state != .readyForExport {
            if tree.state == .promptLotteryWaiting {
                tree = tree.applying(PromptLottery.activation(of: tree))
                tree.wonPromptLotteryAt = Date()
            }
            let user = users.randomElement(using: &rng)!
            let candidates = CandidateRules.candidates(in: [tree], for: contexts[user]!, config)
            guard let task = TaskPicker.pick(nil, from: candidates, config, using: &rng) else { continue }
            switch task {
            case .initialPrompt:
                continue
            case .reply(_, let parentID, _):
                let parent = tree.message(parentID)!
                tree.messages.append(
                    MessageSnapshot(
                        id: id(nextMessage), parentID: parentID, authorID: user, role: parent.role.replyRole,
                        depth: parent.depth + 1))
                nextMessage += 1
            case .label(_, let messageID, _, let labels):
                // One review in ten calls the message spam.
                let values: LabelValues = [.spam: Int.random(in: 0..<10, using: &rng) == 0 ? 1 : 0]
                #expect(LabelValidation.validate(values, against: labels) == nil)
                reviews[messageID, default: []].append(values)
                contexts[user]!.labeledMessageIDs.insert(messageID)
                tree = tree.applyingReview(of: messageID, reviews: reviews[messageID]!, config)
            case .ranking(_, let parentID, _, let replyIDs, _):
                tree = tree.applyingRanking(RankingSubmission(parentID: parentID, userID: user, rankedMessageIDs: replyIDs))
                contexts[user]!.rankedParentIDs.insert(parentID)
            }
            tree = tree.applying(TreeTransitions.evaluate(tree, config))
        }

        #expect(tree.state == .readyForExport)
        #expect(tree.size >= config.goalTreeSize)
        for set in TreeTransitions.rankableParents(tree, config) {
            let ranks = set.replyIDs.compactMap { tree.message($0)?.rank }
            #expect(ranks.sorted() == Array(0..<set.replyIDs.count))
        }
        #expect(tree.messages.allSatisfy { $0.depth <= config.maxTreeDepth })
        for message in tree.messages {
            let children = tree.children(of: message.id).filter { $0.isAccepted }
            #expect(children.count <= config.maxChildrenCount)
            if message.role == .assistant { #expect(children.count <= config.numPrompterReplies) }
        }
    }

    @Test func aRankingCountsOnceForEachReplyItRanked() {
        let tree = TreeSnapshot(
            id: id(1), state: .ranking,
            messages: [
                MessageSnapshot(id: id(1), authorID: id(700), role: .prompter),
                MessageSnapshot(id: id(2), parentID: id(1), authorID: id(701), role: .assistant, depth: 1),
                MessageSnapshot(id: id(3), parentID: id(1), authorID: id(702), role: .assistant, depth: 1),
                MessageSnapshot(id: id(4), parentID: id(1), authorID: id(703), role: .assistant, depth: 1),
            ])
        let ranking = RankingSubmission(parentID: id(1), userID: id(704), rankedMessageIDs: [id(3), id(2)])
        let ranked = tree.applyingRanking(ranking).applyingRanking(ranking)
        #expect(ranked.rankings == [ranking, ranking])
        #expect(ranked.messages.map(\.rankingCount) == [0, 2, 2, 0])
    }
}
