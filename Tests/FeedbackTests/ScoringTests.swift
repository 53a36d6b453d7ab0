import Foundation
import Testing
@testable import Feedback

@Suite struct ScoringTests {
    @Test func referenceWorkedExample() {
        // prompts 10 (8 accepted), assistant 5 (4), prompter 3 (3), labels 2 simple + 7 full, 6 rankings,
        // ranked 1st/2nd/3rd 2/1/1: 1 + 20 + 3 + 2 + 14 + 6 + 0 + 0 + 16 + 3 + 18 + 3 + 1 = 87.
        var c = ContributionCounts()
        c.prompts = 10
        c.acceptedPrompts = 8
        c.repliesAssistant = 5
        c.acceptedRepliesAssistant = 4
        c.repliesPrompter = 3
        c.acceptedRepliesPrompter = 3
        c.labelsSimple = 2
        c.labelsFull = 7
        c.rankingsTotal = 6
        c.replyRanked1 = 2
        c.replyRanked2 = 1
        c.replyRanked3 = 1
        #expect(ScoringRules.leaderScore(c) == 87)
        // Four of the six rankings agreed with the consensus: +4.
        c.rankingsGood = 4
        #expect(ScoringRules.leaderScore(c) == 91)
    }

    @Test func journalActionsBuildTheCounters() {
        let actions: [ScoredAction] = [
            .wrotePrompt, .promptAccepted, .wroteReply(.assistant), .replyAccepted(.assistant), .wroteReply(.prompter),
            .labeled(.full), .labeled(.simple), .ranked, .rankingAgreedWithConsensus, .replyRankedByConsensus(0),
            .replyRankedByConsensus(3),
        ]
        let c = ContributionCounts().recording(actions)
        // 0 + 4 + 4 + 1 + 2 + 1 + 1 + 1 + 9 (prompts earn a tenth, floored)
        #expect(ScoringRules.leaderScore(c) == 23)
        #expect(c.replyRanked1 == 1 && c.replyRanked2 == 0)
        #expect((c + c).labelsFull == 2)
    }

    @Test func bonusesComeFromTheConsensusNotSingleVotes() {
        var b = TreeBuilder(goal: 4)
        b.reply(2, to: 1, by: bob)
        b.reply(3, to: 1, by: carol)
        b.reply(4, to: 1, by: dave)
        b.tree.state = .ranking
        b.rank(1, by: erin, [2, 3, 4])
        b.rank(1, by: alice, [2, 4, 3])
        b.rank(1, by: id(905), [3, 4, 2])
        let decision = TreeTransitions.evaluate(b.tree, config)
        #expect(decision.ranks[id(2)] == 0 && decision.ranks[id(3)] == 1 && decision.ranks[id(4)] == 2)
        let bonuses = ScoringRules.bonuses(forScoredTree: b.tree, ranks: decision.ranks, config)
        // erin tau 1, alice tau 1/3 (agree); the third voter tau −1/3 gets nothing.
        #expect(bonuses.filter { $0.action == .rankingAgreedWithConsensus }.map(\.userID) == [erin, alice])
        #expect(bonuses.filter { $0.action != .rankingAgreedWithConsensus } == [
            ScoringBonus(userID: bob, action: .replyRankedByConsensus(0)),
            ScoringBonus(userID: carol, action: .replyRankedByConsensus(1)),
            ScoringBonus(userID: dave, action: .replyRankedByConsensus(2)),
        ])
        #expect(ScoringRules.replyBonus(consensusRank: 0) == 9)
        #expect(ScoringRules.replyBonus(consensusRank: 1) == 3)
        #expect(ScoringRules.replyBonus(consensusRank: 2) == 1)
        #expect(ScoringRules.replyBonus(consensusRank: 3) == 0)
        #expect(!ScoringRules.rankingAgrees(tau: 0))
        #expect(!ScoringRules.rankingAgrees(tau: nil))
    }

    @Test func levelThresholds() {
        #expect(Level.thresholds.count == 100)
        #expect(Array(Level.thresholds.prefix(12)) == [0, 4, 9, 16, 24, 32, 42, 53, 65, 79, 93, 109])
        #expect(Array(Level.thresholds.suffix(3)) == [5767, 5883, 6000])
        #expect(Level.level(forScore: 0) == 1)
        #expect(Level.level(forScore: 3) == 1)
        #expect(Level.level(forScore: 4) == 2)
        #expect(Level.level(forScore: 10) == 3)
        #expect(Level.level(forScore: 100) == 11)
        #expect(Level.level(forScore: 1000) == 39)
        #expect(Level.level(forScore: 6000) == 100)
        #expect(Level.level(forScore: 1_000_000) == 100)
        #expect(Level.nextThreshold(after: 1) == 4)
        #expect(Level.nextThreshold(after: 100) == nil)
    }

    @Test func streaksAcrossDays() {
        let start = Date(timeIntervalSince1970: 1_700_000_000)
        let hour: TimeInterval = 3600
        var streak = Streak.recordingActivity(nil, at: start)
        #expect(streak.days == 0)
        streak = Streak.recordingActivity(streak, at: start.addingTimeInterval(23 * hour))
        #expect(streak.days == 0)
        streak = Streak.recordingActivity(streak, at: start.addingTimeInterval(25 * hour))
        #expect(streak.days == 1)
        streak = Streak.recordingActivity(streak, at: start.addingTimeInterval(60 * hour))
        #expect(streak.days == 2)
        // 36 hours without activity end it.
        #expect(streak.currentDays(at: start.addingTimeInterval(95 * hour)) == 2)
        #expect(streak.currentDays(at: start.addingTimeInterval(97 * hour)) == 0)
        let restarted = Streak.recordingActivity(streak, at: start.addingTimeInterval(97 * hour))
        #expect(restarted.days == 0 && restarted.startedAt == start.addingTimeInterval(97 * hour))
        // A start in the future (clock change) begins a new streak.
        let future = Streak(startedAt: start.addingTimeInterval(hour), lastActivityAt: start, days: 3)
        #expect(Streak.recordingActivity(future, at: start).days == 0)
    }

    @Test func timeFrames() {
        // 2023-11-14 22:13:20 UTC
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        #expect(TimeFrame.day.start(now: now) == now.addingTimeInterval(-86400))
        // Seven days ago at 00:00 UTC: 2023-11-07 00:00:00.
        #expect(TimeFrame.week.start(now: now) == Date(timeIntervalSince1970: 1_699_315_200))
        #expect(TimeFrame.month.start(now: now) == Date(timeIntervalSince1970: 1_697_328_000))
        #expect(TimeFrame.total.start(now: now) == nil)
        #expect(TimeFrame.week.contains(Date(timeIntervalSince1970: 1_699_315_200), now: now))
        #expect(!TimeFrame.week.contains(Date(timeIntervalSince1970: 1_699_315_199), now: now))
    }

    @Test func trollScore() {
        var t = TrollSignals()
        t.redFlags = 2
        t.upvotes = 5
        t.downvotes = 3
        t.spamPrompts = 1
        t.langMismatch = 1
        t.hateSpeech = 0
        t.pii = 0
        t.notAppropriate = 0
        t.sexualContent = 1
        #expect(t.score == 7)
    }
}

@Suite struct ConfigurationTests {
    @Test func defaults() {
        let c = TreeManagerConfiguration.default
        #expect(c.goalTreeSize == 12 && c.maxTreeDepth == 3 && c.maxChildrenCount == 3)
        #expect(c.numReviewsInitialPrompt == 3 && c.numReviewsReply == 3)
        #expect(c.acceptanceThresholdReply == 0.6 && c.numRequiredRankings == 3)
        #expect(c.pLonelyChildExtension == 0.75 && c.lonelyChildrenCount == 2)
        #expect(c.maxPendingTasksPerUser == 8 && c.recentTasksSpanSeconds == 300)
        #expect(c.taskWeights == TaskWeights(ranking: 10, labelReply: 5, labelPrompt: 5, reply: 2, prompt: 0.01))
        #expect(c.autoModRedFlags == 4 && c.autoModMaxSkipReply == 25)
        #expect(c.pFullLabelingReviewReplyPrompter == 0.25)
        let limits = SubmissionLimits.default
        #expect(limits.messageSizeLimit == 2000 && limits.duplicateMessageWindowMinutes == 120)
        #expect(limits.taskValidityMinutes == 60 * 24 * 2)
    }

    @Test func roundTripsAndFillsMissingKeys() throws {
        var custom = TreeManagerConfiguration.default
        custom.goalTreeSize = 5
        custom.taskWeights.prompt = 1
        let data = try JSONEncoder().encode(custom)
        #expect(try JSONDecoder().decode(TreeManagerConfiguration.self, from: data) == custom)
        let partial = try JSONDecoder().decode(
            TreeManagerConfiguration.self, from: Data(#"{"goalTreeSize": 7, "labelsInitialPrompt": ["spam"]}"#.utf8))
        #expect(partial.goalTreeSize == 7 && partial.labelsInitialPrompt == [.spam])
        #expect(partial.maxTreeDepth == 3)
    }

    @Test func rawValuesMatchOpenAssistant() {
        #expect(TreeState.allCases.map(\.rawValue).sorted() == [
            "aborted_low_grade", "backlog_ranking", "growing", "halted_by_moderator", "initial_prompt_review",
            "prompt_lottery_waiting", "ranking", "ready_for_export", "ready_for_scoring", "scoring_failed",
        ])
        #expect(TreeState.promptLotteryWaiting.isTerminal && !TreeState.ranking.isTerminal)
        #expect(TaskKind.rankAssistantReplies.rawValue == "rank_assistant_replies")
        #expect(EmojiCode.thumbsUp.rawValue == "+1" && EmojiCode.skipReply.rawValue == "_skip_reply")
        #expect(EmojiCode.skipMarker(for: .labelAssistantReply) == .skipLabeling)
        #expect(MessageRole.assistant.replyRole == .prompter)
    }
}
