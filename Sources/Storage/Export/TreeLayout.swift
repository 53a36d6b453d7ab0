import Foundation

/// The messages of one tree as positions in an export page, each with its replies sorted by rank (unranked
/// last, then oldest first). Encoders walk positions, so no message is copied to assemble a tree.
struct TreeLayout {
    let messages: [ExportedMessage]
    /// The tree's messages, oldest first (ties by id, as Postgres orders uuids).
    let positions: [Int]
    /// Per message (by its index in `positions`): the positions of its replies, best first.
    private var replies: [[Int]]
    private var indexOf: [Int: Int] = [:]
    /// Positions whose parent is not among the messages (the root, or a reply whose parent was filtered out).
    private(set) var tops: [Int] = []

    /// `positions` are one tree's selected messages in `messages`, in any order.
    init(_ messages: [ExportedMessage], _ positions: [Int]) {
        self.messages = messages
        self.positions = positions.sorted { a, b in
            let timeA = messages[a].createdAt, timeB = messages[b].createdAt
            return timeA != timeB ? timeA < timeB : Self.inIDOrder(messages[a].id, messages[b].id)
        }
        replies = Array(repeating: [], count: positions.count)
        var byID: [UUID: Int] = [:]
        byID.reserveCapacity(positions.count)
        indexOf.reserveCapacity(positions.count)
        for (index, position) in self.positions.enumerated() {
            byID[messages[position].id] = index
            indexOf[position] = index
        }
        for position in self.positions {
            if let parent = messages[position].parentID, let parentIndex = byID[parent] {
                replies[parentIndex].append(position)
            } else {
                tops.append(position)
            }
        }
        for index in replies.indices where replies[index].count > 1 {
            // Replies were added oldest first, so a stable sort by rank keeps age as the tie-breaker.
            replies[index] = replies[index].enumerated().sorted { a, b in
                let ra = messages[a.element].rank ?? Int.max, rb = messages[b.element].rank ?? Int.max
                return ra != rb ? ra < rb : a.offset < b.offset
            }.map(\.element)
        }
    }

    func replies(of position: Int) -> [Int] {
        replies[indexOf[position]!]
    }

    /// The position of the tree's root, or nil when the root itself was filtered out.
    func root(id: UUID) -> Int? {
        tops.first { messages[$0].id == id }
    }

    /// Every message, parents before children; a message whose parent was filtered out starts a new run.
    func preOrder() -> [Int] {
        var order: [Int] = []
        order.reserveCapacity(positions.count)
        func visit(_ position: Int) {
            order.append(position)
            for reply in replies(of: position) { visit(reply) }
        }
        for top in tops { visit(top) }
        return order
    }

    /// The root with its reachable replies nested, for the training views that walk threads.
    func nested(rootID: UUID) -> ExportedMessage? {
        func node(_ position: Int) -> ExportedMessage {
            var message = messages[position]
            message.replies = replies(of: position).map(node)
            return message
        }
        return root(id: rootID).map(node)
    }

    /// The number of messages reachable from `position`, itself included.
    func count(from position: Int) -> Int {
        replies(of: position).reduce(1) { $0 + count(from: $1) }
    }

    /// Postgres's order of uuids: their bytes compared one by one.
    static func inIDOrder(_ a: UUID, _ b: UUID) -> Bool {
        withUnsafeBytes(of: a.uuid) { x in withUnsafeBytes(of: b.uuid) { y in x.lexicographicallyPrecedes(y) } }
    }
}
