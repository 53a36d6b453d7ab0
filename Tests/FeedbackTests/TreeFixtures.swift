import Foundation
@testable import Feedback

/// Readable ids for tests: `id(1)` is 00000000-0000-0000-0000-000000000001.
func id(_ n: Int) -> UUID {
    UUID(uuidString: String(format: "00000000-0000-0000-0000-%012d", n))!
}

let alice = id(900)
let bob = id(901)
let carol = id(902)
let dave = id(903)
let erin = id(904)

/// Builds trees message by message.
struct TreeBuilder {
    var tree: TreeSnapshot

    init(state: TreeState = .growing, goal: Int = 12, rootAuthor: UUID = alice, rootAccepted: Bool? = true) {
        let root = MessageSnapshot(
            id: id(1), authorID: rootAuthor, role: .prompter, depth: 0,
            reviewCount: rootAccepted == nil ? 0 : 3, reviewResult: rootAccepted)
        tree = TreeSnapshot(
            id: id(1), state: state, goalTreeSize: goal, wonPromptLotteryAt: state == .growing ? Date() : nil,
            messages: [root])
    }

    /// Adds a reply. `accepted: nil` means still under review with `reviews` done.
    @discardableResult
    mutating func reply(
        _ n: Int, to parent: Int, by author: UUID, accepted: Bool? = true, reviews: Int? = nil,
        deleted: Bool = false, synthetic: Bool = false
    ) -> UUID {
        let parentMessage = tree.message(id(parent))!
        tree.messages.append(
            MessageSnapshot(
                id: id(n), parentID: id(parent), authorID: author, role: parentMessage.role.replyRole,
                depth: parentMessage.depth + 1, reviewCount: reviews ?? (accepted == nil ? 0 : 3),
                reviewResult: accepted, deleted: deleted, synthetic: synthetic))
        return id(n)
    }

    mutating func rank(_ parent: Int, by user: UUID, _ order: [Int]) {
        tree.rankings.append(RankingSubmission(parentID: id(parent), userID: user, rankedMessageIDs: order.map(id)))
    }

    /// A full default tree: root, 3 assistant replies, 1 prompter reply under each, 2 assistant replies under
    /// two of those (1 + 3 + 3 + 5 = 12 accepted messages).
    static func fullTree() -> TreeBuilder {
        var b = TreeBuilder()
        b.reply(2, to: 1, by: bob)
        b.reply(3, to: 1, by: carol)
        b.reply(4, to: 1, by: dave)
        b.reply(5, to: 2, by: carol)
        b.reply(6, to: 3, by: bob)
        b.reply(7, to: 4, by: bob)
        b.reply(8, to: 5, by: dave)
        b.reply(9, to: 5, by: erin)
        b.reply(10, to: 6, by: dave)
        b.reply(11, to: 6, by: erin)
        b.reply(12, to: 7, by: carol)
        return b
    }
}

let config = TreeManagerConfiguration.default
