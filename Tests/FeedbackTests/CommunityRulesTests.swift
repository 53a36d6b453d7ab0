import Foundation
import Testing
@testable import Feedback

@Suite struct CommunityRulesTests {
    @Test func everyScoredActionRoundTripsThroughTheJournal() {
        let actions: [ScoredAction] = [
            .wrotePrompt, .promptAccepted, .wroteReply(.assistant), .wroteReply(.prompter), .replyAccepted(.assistant),
            .replyAccepted(.prompter), .labeled(.simple), .labeled(.full), .ranked, .rankingAgreedWithConsensus,
            .replyRankedByConsensus(0), .replyRankedByConsensus(2),
        ]
        for action in actions {
            let entry = action.journalEntry
            #expect(ScoredAction(journalAction: entry.action, payload: entry.payload) == action)
        }
        #expect(ScoredAction(journalAction: "tree_state", payload: ["state": "growing"]) == nil)
        #expect(ScoredAction(journalAction: "reported", payload: [:]) == nil)
        #expect(ScoredAction(journalAction: "wrote_reply", payload: ["role": "narrator"]) == nil)
        #expect(ScoredAction(journalAction: "reply_ranked", payload: ["rank": "first"]) == nil)
        // Only what people do themselves continues a streak.
        #expect(ScoredAction.ranked.isOwnActivity && ScoredAction.wroteReply(.assistant).isOwnActivity)
        #expect(!ScoredAction.promptAccepted.isOwnActivity && !ScoredAction.replyRankedByConsensus(0).isOwnActivity)
    }

    /// One contributor's week, journal row by journal row, with the bonuses a scored tree grants.
    @Test func workedExampleWithBonuses() {
        var b = TreeBuilder(goal: 4)
        b.reply(2, to: 1, by: bob)
        b.reply(3, to: 1, by: carol)
        b.reply(4, to: 1, by: dave)
        b.tree.state = .ranking
        b.rank(1, by: erin, [2, 3, 4])
        b.rank(1, by: alice, [3, 2, 4])
        b.rank(1, by: dave, [4, 3, 2])
        let decision = TreeTransitions.evaluate(b.tree, config)
        // Pairs: 2 over 3 (erin), 3 over 2 (alice, dave): 3 wins; 3 over 4 twice, 2 over 4 twice: consensus 3, 2, 4.
        #expect(decision.ranks[id(3)] == 0 && decision.ranks[id(2)] == 1 && decision.ranks[id(4)] == 2)
        let bonuses = ScoringRules.bonuses(forScoredTree: b.tree, ranks: decision.ranks, config)
        // alice matches exactly (tau 1); erin swaps one pair of three (tau 1/3, normalised 2/3 > 0.5);
        // dave reverses two pairs (tau −1/3): no bonus.
        #expect(Set(bonuses.filter { $0.action == .rankingAgreedWithConsensus }.map(\.userID)) == [alice, erin])

        // bob's journal: he wrote that reply (accepted) and two prompts (one accepted), labeled 3 times
        // in full mode and ranked once in agreement with the consensus.
        var journal: [ScoredAction] = [.wroteReply(.assistant), .replyAccepted(.assistant), .wrotePrompt, .wrotePrompt, .promptAccepted]
        journal += Array(repeating: .labeled(.full), count: 3) + [.ranked, .rankingAgreedWithConsensus]
        journal += bonuses.filter { $0.userID == bob }.map(\.action)
        let counts = ContributionCounts().recording(journal)
        #expect(counts.replyRanked2 == 1 && counts.rankingsGood == 1)
        // 4 (reply) + 4 (accepted) + 0 (2 prompts / 10) + 0 (1 accepted / 10) + 6 (full labels) + 1 (ranking)
        // + 1 (agreement bonus) + 3 (second place by consensus) = 19.
        #expect(ScoringRules.leaderScore(counts) == 19)
        #expect(Level.level(forScore: 19) == 4)
    }

    @Test func hourBucketsCoverTheFrames() {
        // 2023-11-14 22:13:20 UTC
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        #expect(StatsBucket.hour(of: now) == Date(timeIntervalSince1970: 1_699_999_200))
        // The rolling day: the hours wholly inside the last 24 hours (from 23:00 yesterday), plus this one.
        #expect(StatsBucket.firstHour(of: .day, now: now) == Date(timeIntervalSince1970: 1_699_999_200 - 23 * 3600))
        // Week and month start at midnight, which is also an hour boundary.
        #expect(StatsBucket.firstHour(of: .week, now: now) == TimeFrame.week.start(now: now))
        #expect(StatsBucket.firstHour(of: .month, now: now) == TimeFrame.month.start(now: now))
        #expect(StatsBucket.firstHour(of: .total, now: now) == nil)
        #expect(StatsBucket.oldestNeededHour(now: now) == Date(timeIntervalSince1970: 1_697_328_000))
    }

    @Test func streakCountsWholeDaysAcrossMidnight() {
        // 23:30 UTC, then 00:30 the next day: a new calendar day but not a whole day of streak yet.
        let evening = Date(timeIntervalSince1970: 1_700_004_600)
        var streak = Streak.recordingActivity(nil, at: evening)
        streak = Streak.recordingActivity(streak, at: evening.addingTimeInterval(3600))
        #expect(streak.days == 0)
        streak = Streak.recordingActivity(streak, at: evening.addingTimeInterval(24 * 3600 + 60))
        #expect(streak.days == 1)
        // Thirty hours of sleep and it still holds; the next action counts two days from the start.
        streak = Streak.recordingActivity(streak, at: evening.addingTimeInterval(54 * 3600))
        #expect(streak.days == 2 && streak.currentDays(at: evening.addingTimeInterval(60 * 3600)) == 2)
    }

    @Test func roleChanges() {
        // Admins may set any role on others, never on themselves.
        #expect(RoleRules.mayChange(actor: "admin", actorIsTarget: false, from: "general", to: "moderator"))
        #expect(RoleRules.mayChange(actor: "admin", actorIsTarget: false, from: "moderator", to: "admin"))
        #expect(RoleRules.mayChange(actor: "admin", actorIsTarget: false, from: "admin", to: "general"))
        #expect(!RoleRules.mayChange(actor: "admin", actorIsTarget: true, from: "admin", to: "general"))
        // Moderators cannot grant moderator or admin, nor touch staff.
        #expect(!RoleRules.mayChange(actor: "moderator", actorIsTarget: false, from: "general", to: "moderator"))
        #expect(!RoleRules.mayChange(actor: "moderator", actorIsTarget: false, from: "general", to: "admin"))
        #expect(!RoleRules.mayChange(actor: "moderator", actorIsTarget: false, from: "admin", to: "general"))
        #expect(RoleRules.mayChange(actor: "moderator", actorIsTarget: false, from: "general", to: "general"))
        #expect(!RoleRules.mayChange(actor: "general", actorIsTarget: false, from: "general", to: "general"))
        #expect(!RoleRules.mayChange(actor: "admin", actorIsTarget: false, from: "general", to: "root"))
    }

    @Test func moderationActionsThatChangeContentNeedAReason() {
        #expect(StaffAction.deleteSubtree.needsReason && StaffAction.ban.needsReason && StaffAction.setRole.needsReason)
        #expect(!StaffAction.resolveFlag.needsReason && !StaffAction.setNotes.needsReason)
    }
}
