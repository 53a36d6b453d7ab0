import Testing
@testable import Feedback

@Suite struct ReviewRulesTests {
    @Test func acceptanceVectorsFromTheReference() throws {
        func acceptance(spam: [Double], lang: [Double]) -> Double {
            ReviewRules.acceptance(of: zip(spam, lang).map { [.spam: $0, .langMismatch: $1] })!
        }
        #expect(abs(acceptance(spam: [1, 0, 0], lang: [0, 0, 0]) - 2.0 / 3.0) < 1e-9)
        #expect(abs(acceptance(spam: [1, 1, 0], lang: [0, 0, 0]) - 1.0 / 3.0) < 1e-9)
        #expect(abs(acceptance(spam: [1, 0, 0], lang: [1, 0, 0]) - 1.0 / 3.0) < 1e-9)
        #expect(abs(acceptance(spam: [0, 0, 0], lang: [1, 0, 0]) - 2.0 / 3.0) < 1e-9)
    }

    @Test func unansweredLabelsAreAbsentNotZero() {
        // One reviewer raised the language flag, two did not answer it: the flag's mean is 1, not 1/3.
        let reviews: [LabelValues] = [[.spam: 0, .langMismatch: 1], [.spam: 0], [.spam: 0]]
        #expect(ReviewRules.acceptance(of: reviews) == 0)
        // Nobody answered lang_mismatch: it contributes nothing.
        #expect(ReviewRules.acceptance(of: [[.spam: 0], [.spam: 0.5]]) == 0.75)
        #expect(ReviewRules.acceptance(of: []) == nil)
    }

    @Test func nothingIsDecidedBeforeTheThirdReview() {
        let message = MessageSnapshot(id: id(2), parentID: id(1), authorID: bob, role: .assistant, reviewCount: 2)
        #expect(ReviewRules.decision(for: message, reviews: [[.spam: 0], [.spam: 0]], config) == nil)
    }

    @Test func acceptsStrictlyAboveTheThreshold() {
        var message = MessageSnapshot(id: id(2), parentID: id(1), authorID: bob, role: .assistant, reviewCount: 3)
        let clean: [LabelValues] = [[.spam: 0], [.spam: 0], [.spam: 0]]
        #expect(ReviewRules.decision(for: message, reviews: clean, config) == true)
        let oneSpam: [LabelValues] = [[.spam: 1], [.spam: 0], [.spam: 0]]
        #expect(ReviewRules.decision(for: message, reviews: oneSpam, config) == true)
        let twoSpam: [LabelValues] = [[.spam: 1], [.spam: 1], [.spam: 0]]
        #expect(ReviewRules.decision(for: message, reviews: twoSpam, config) == false)
        // Exactly at the threshold is a rejection.
        var strict = config
        strict.acceptanceThresholdReply = 0.5
        let halfSpam: [LabelValues] = [[.spam: 0.5], [.spam: 0.5], [.spam: 0.5]]
        #expect(ReviewRules.decision(for: message, reviews: halfSpam, strict) == false)
        // An accepted message stays accepted; a rejected one is not rejected again.
        message.reviewResult = true
        #expect(ReviewRules.decision(for: message, reviews: twoSpam, config) == nil)
        message.reviewResult = false
        #expect(ReviewRules.decision(for: message, reviews: twoSpam, config) == nil)
        #expect(ReviewRules.decision(for: message, reviews: clean, config) == true)
    }

    @Test func rootUsesThePromptSettings() {
        var custom = config
        custom.numReviewsInitialPrompt = 1
        let root = MessageSnapshot(id: id(1), authorID: alice, role: .prompter, reviewCount: 1)
        #expect(ReviewRules.decision(for: root, reviews: [[.spam: 0]], custom) == true)
        #expect(ReviewRules.decision(for: root, reviews: [[.spam: 0]], config) == nil)
    }
}
