import Foundation
import Testing
@testable import Feedback

@Suite struct TextReplyValidationTests {
    let now = Date(timeIntervalSince1970: 2_000_000)

    @Test func emptyAndWhitespace() {
        #expect(TextReplyValidation.validate("", now: now) == .failure(.emptyText))
        #expect(TextReplyValidation.validate(" \n\t ", now: now) == .failure(.emptyText))
        #expect(TextReplyValidation.validate("  Hello  ", now: now) == .success("Hello"))
    }

    @Test func lengthLimit() {
        let exact = String(repeating: "a", count: 2000)
        #expect(TextReplyValidation.validate(exact, now: now) == .success(exact))
        #expect(TextReplyValidation.validate(exact + "b", now: now) == .failure(.textTooLong(length: 2001, limit: 2000)))
        // Characters, not bytes.
        let emoji = String(repeating: "🦊", count: 2000)
        #expect(TextReplyValidation.validate(emoji, now: now) == .success(emoji))
    }

    @Test func duplicateWithinTwoHours() {
        let recent = [RecentText(text: "Hello there", createdAt: now.addingTimeInterval(-119 * 60))]
        #expect(TextReplyValidation.validate("Hello there ", recentTexts: recent, now: now) == .failure(.duplicateText))
        let old = [RecentText(text: "Hello there", createdAt: now.addingTimeInterval(-121 * 60))]
        #expect(TextReplyValidation.validate("Hello there", recentTexts: old, now: now) == .success("Hello there"))
        #expect(TextReplyValidation.validate("Hello, there", recentTexts: recent, now: now) == .success("Hello, there"))
    }

    @Test func replyTarget() {
        #expect(TextReplyValidation.validateReplyTarget(treeState: .growing, existingRepliesByUser: 0) == nil)
        #expect(TextReplyValidation.validateReplyTarget(treeState: .readyForExport, existingRepliesByUser: 0) == nil)
        #expect(TextReplyValidation.validateReplyTarget(treeState: .growing, existingRepliesByUser: 1) == .duplicateReply)
        #expect(TextReplyValidation.validateReplyTarget(treeState: .abortedLowGrade, existingRepliesByUser: 0)
            == .treeNotAcceptingReplies(.abortedLowGrade))
        #expect(SubmissionError.treeNotAcceptingReplies(.abortedLowGrade).code == 2010)
        #expect(SubmissionError.emptyText.description.contains("empty"))
    }
}

@Suite struct LabelValidationTests {
    let full = TreeManagerConfiguration.default.labelSet(for: .labelAssistantReply, mode: .full)

    @Test func labelSets() {
        let c = TreeManagerConfiguration.default
        #expect(full.valid.count == 13 && full.mandatory == [.spam])
        #expect(c.labelSet(for: .labelAssistantReply, mode: .simple).valid == [.spam, .langMismatch, .quality])
        #expect(c.labelSet(for: .labelInitialPrompt, mode: .simple).valid == [.spam, .langMismatch])
        #expect(!c.labelSet(for: .labelPrompterReply, mode: .full).valid.contains(.helpfulness))
        #expect(TextLabel.allCases.count == 15)
        #expect(TextLabel.spam.widget == .yesNo && TextLabel.pii.widget == .flag && TextLabel.humor.widget == .likert)
        #expect(TextLabel.langMismatch.displayText == "Wrong Language")
        #expect(TextLabel.failsTask.appliesTo == [.assistant])
        #expect(!TextLabel.freeLabels(for: .prompter).contains(.failsTask))
        #expect(LabelWidget.likert.offeredValues == [0, 0.25, 0.5, 0.75, 1])
    }

    @Test func rangesMandatoryAndOffered() {
        #expect(LabelValidation.validate([.spam: 0, .quality: 0.75], against: full) == nil)
        #expect(LabelValidation.validate([.quality: 0.75], against: full) == .mandatoryLabelMissing(.spam))
        #expect(LabelValidation.validate([.spam: 1.5], against: full) == .labelValueOutOfRange(.spam, 1.5))
        #expect(LabelValidation.validate([.spam: -0.1], against: full) == .labelValueOutOfRange(.spam, -0.1))
        #expect(LabelValidation.validate([.spam: 0, .moralJudgement: 1], against: full) == .labelNotOffered(.moralJudgement))
        let longText = String(repeating: "x", count: 65537)
        #expect(LabelValidation.validate([.spam: 0], against: full, text: longText)
            == .labelTextTooLong(length: 65537, limit: 65536))
        #expect(LabelValidation.validateFree([.politicalContent: 1], role: .prompter) == nil)
        #expect(LabelValidation.validateFree([.failsTask: 1], role: .prompter) == .labelNotOffered(.failsTask))
    }

    @Test func labelValuesEncodeAsAJSONObject() throws {
        let values: LabelValues = [.spam: 0, .langMismatch: 1]
        let json = String(decoding: try JSONEncoder().encode(values), as: UTF8.self)
        #expect(json.contains("\"spam\":0") && json.contains("\"lang_mismatch\":1"))
        #expect(try JSONDecoder().decode(LabelValues.self, from: Data(json.utf8)) == values)
        let emojis = String(decoding: try JSONEncoder().encode([EmojiCode.thumbsUp: 2]), as: UTF8.self)
        #expect(emojis == "{\"+1\":2}")
    }

    @Test func formParsingKeepsUnansweredAbsent() throws {
        let parsed = try LabelValidation.parse(["spam": "0", "quality": "0.5", "humor": "", "csrf": "x"]).get()
        #expect(parsed == [.spam: 0, .quality: 0.5])
        #expect((try? LabelValidation.parse(["spam": "yes"]).get()) == nil)
    }

    @Test func reviewerRules() {
        let message = MessageSnapshot(id: id(2), parentID: id(1), authorID: bob, role: .assistant)
        #expect(LabelValidation.validateReviewer(bob, of: message, alreadyLabeledByUser: false) == .selfLabeling)
        #expect(LabelValidation.validateReviewer(carol, of: message, alreadyLabeledByUser: true) == .alreadyLabeled)
        #expect(LabelValidation.validateReviewer(carol, of: message, alreadyLabeledByUser: false) == nil)
    }
}

@Suite struct RankingValidationTests {
    let offered = [id(2), id(3), id(4)]

    @Test func positionsMustBeAPermutation() throws {
        #expect(try RankingValidation.rankedIDs(positions: [2, 0, 1], offeredIDs: offered).get() == [id(4), id(2), id(3)])
        #expect(RankingValidation.rankedIDs(positions: [0, 0, 1], offeredIDs: offered) == .failure(.rankingNotAPermutation))
        #expect(RankingValidation.rankedIDs(positions: [0, 1], offeredIDs: offered) == .failure(.rankingNotAPermutation))
        #expect(RankingValidation.rankedIDs(positions: [0, 1, 3], offeredIDs: offered) == .failure(.rankingNotAPermutation))
    }

    @Test func idsMustBeExactlyTheOfferedOnes() {
        #expect(RankingValidation.validate(rankedIDs: [id(3), id(2), id(4)], offeredIDs: offered) == nil)
        #expect(RankingValidation.validate(rankedIDs: [id(3), id(2), id(9)], offeredIDs: offered) == .rankingNamesForeignReplies)
        #expect(RankingValidation.validate(rankedIDs: [id(3), id(3), id(4)], offeredIDs: offered) == .rankingNotAPermutation)
        #expect(RankingValidation.validate(rankedIDs: [id(3), id(2)], offeredIDs: offered) == .rankingNotAPermutation)
    }

    @Test func placesFromSelects() throws {
        let places = [id(2): 3, id(3): 1, id(4): 2]
        #expect(try RankingValidation.rankedIDs(places: places, offeredIDs: offered).get() == [id(3), id(4), id(2)])
        #expect(RankingValidation.rankedIDs(places: [id(2): 1, id(3): 1, id(4): 2], offeredIDs: offered)
            == .failure(.rankingNotAPermutation))
        #expect(RankingValidation.rankedIDs(places: [id(2): 1, id(3): 2, id(9): 3], offeredIDs: offered)
            == .failure(.rankingNamesForeignReplies))
    }

    @Test func rankerRules() {
        let replies = [MessageSnapshot(id: id(2), parentID: id(1), authorID: bob, role: .assistant)]
        #expect(RankingValidation.validateRanker(bob, replies: replies, alreadyRankedByUser: false) == .selfRanking)
        #expect(RankingValidation.validateRanker(carol, replies: replies, alreadyRankedByUser: true) == .alreadyRanked)
        #expect(RankingValidation.validateRanker(carol, replies: replies, alreadyRankedByUser: false) == nil)
    }
}
