import Testing
@testable import Feedback

@Suite struct LeaderboardAndEmojiTests {
    @Test func orderingAndTies() {
        let rows = LeaderboardRules.ranked([(carol, 10), (alice, 30), (bob, 10), (dave, 0)])
        #expect(rows.map(\.userID) == [alice, bob, carol, dave])
        #expect(rows.map(\.rank) == [1, 2, 3, 4])
        #expect(LeaderboardRules.ranked([]).isEmpty)
    }

    @Test func windowAroundTheUser() {
        #expect(LeaderboardRules.window(around: 10, count: 100) == 8...12)
        #expect(LeaderboardRules.window(around: 1, count: 100) == 1...5)
        #expect(LeaderboardRules.window(around: 100, count: 100) == 96...100)
        #expect(LeaderboardRules.window(around: 2, count: 3) == 1...3)
        #expect(LeaderboardRules.window(around: 1, count: 0) == nil)
    }

    @Test func emojiRules() {
        #expect(EmojiRules.apply(.toggle, .thumbsUp, to: [], isOwnMessage: false) == [.thumbsUp])
        #expect(EmojiRules.apply(.toggle, .thumbsUp, to: [.thumbsUp], isOwnMessage: false) == [])
        #expect(EmojiRules.apply(.add, .thumbsDown, to: [.thumbsUp, .redFlag], isOwnMessage: false) == [.thumbsDown, .redFlag])
        #expect(EmojiRules.apply(.add, .thumbsUp, to: [], isOwnMessage: true) == [])
        #expect(EmojiRules.apply(.add, .redFlag, to: [], isOwnMessage: true) == [.redFlag])
        #expect(EmojiRules.apply(.remove, .heartEyes, to: [.heartEyes], isOwnMessage: false) == [])
        #expect(EmojiRules.apply(.add, .skipReply, to: [], isOwnMessage: false) == [])
    }
}
