import Feedback
import Testing

@Suite("Chat rules")
struct ChatRulesTests {
    //  q1 ─┬ a1 ── q2 ── a3
    //      └ a2
    //  q1' ── a4            (an edit of the first message)
    static let nodes: [ChatBranches<String>.Node] = [
        .init(id: "q1", parent: nil), .init(id: "a1", parent: "q1"), .init(id: "q2", parent: "a1"),
        .init(id: "a2", parent: "q1"), .init(id: "a3", parent: "q2"), .init(id: "q1'", parent: nil), .init(id: "a4", parent: "q1'"),
    ]

    @Test("without a focus the newest branch is shown")
    func newestBranch() {
        let path = ChatBranches(Self.nodes).path(through: nil)
        #expect(path.map(\.id) == ["q1'", "a4"])
        #expect(path[0].position == 2 && path[0].siblingCount == 2 && path[0].previous == "q1" && path[0].next == nil)
    }

    @Test("a focus shows its ancestors, itself and the newest replies below it, with pagers")
    func focusedBranch() {
        let branches = ChatBranches(Self.nodes)
        let path = branches.path(through: "a1")
        #expect(path.map(\.id) == ["q1", "a1", "q2", "a3"])
        #expect(path[1].position == 1 && path[1].siblingCount == 2 && path[1].next == "a2")
        #expect(path[2].siblingCount == 1)
        #expect(branches.path(through: "a2").map(\.id) == ["q1", "a2"])
        #expect(branches.path(through: "unknown").map(\.id) == ["q1'", "a4"])
        #expect(ChatBranches<String>([]).path(through: nil).isEmpty)
    }

    @Test("messages are trimmed, and empty or oversized ones refused")
    func messages() throws {
        #expect(try ChatRules.validatedMessage("  hi \n").get() == "hi")
        #expect(throws: ChatRules.Refusal.emptyMessage) { try ChatRules.validatedMessage(" \n\t").get() }
        var limits = ChatLimits()
        limits.maxMessageLength = 5
        #expect(throws: ChatRules.Refusal.messageTooLong(limit: 5)) { try ChatRules.validatedMessage("toolong", limits: limits).get() }
    }

    @Test("titles are the first line, cut to the limit")
    func titles() {
        #expect(ChatRules.title(from: "First line\nsecond") == "First line")
        let long = String(repeating: "x", count: 150)
        let title = ChatRules.title(from: long)
        #expect(title.count == 100 && title.hasSuffix("…"))
    }

    @Test("one running reply per user, then the shared queue bound")
    func admission() {
        #expect(ChatRules.admission(userActiveReplies: 0, queued: 0) == nil)
        #expect(ChatRules.admission(userActiveReplies: 1, queued: 0) == .replyInProgress)
        #expect(ChatRules.admission(userActiveReplies: 0, queued: ChatLimits.default.maxQueued) == .queueFull)
        #expect(ChatRules.admission(userActiveReplies: 0, queued: ChatLimits.default.maxQueued - 1) == nil)
    }

    @Test("reply states: which are still running and which ended early")
    func states() {
        #expect(ChatReplyState.pending.isActive && ChatReplyState.inProgress.isActive)
        #expect(!ChatReplyState.complete.isActive && !ChatReplyState.complete.endedEarly)
        #expect(ChatReplyState.interrupted.endedEarly && ChatReplyState.cancelled.endedEarly && ChatReplyState.timeout.endedEarly)
    }
}
