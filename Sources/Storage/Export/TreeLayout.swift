import Foundation

/// The messages of one tree as positions in an export page, each with its replies sorted by rank (unranked
/// last, then oldest first). Encoders walk positions, so no message is copied to assemble a tree.
struct TreeLayout {
    let messages: [ExportedMessage]
    let range: Range<Int>
    /// Per position in `range` (offset from its start): the positions of its replies, best first.
    private var replies: [[Int]]
    /// Positions whose parent is not among the messages (the root, or a reply whose parent was filtered out).
    private(set) var tops: [Int] = []

    /// `messages[range]` are one tree's selected messages, oldest first.
    init(_ messages: [ExportedMessage], _ range: Range<Int>) {
        self.messages = messages
        self.range = range
        replies = Array(repeating: [], count: range.count)
        var positions: [UUID: Int] = [:]
        positions.reserveCapacity(range.count)
        for position in range { positions[messages[position].id] = position }
        for position in range {
            if let parent = messages[position].parentID, let parentPosition = positions[parent] {
                replies[parentPosition - range.lowerBound].append(position)
            } else {
                tops.append(position)
            }
        }
        for index in replies.indices where replies[index].count > 1 {
            // Positions follow creation order, so they break ties between equal ranks the stable way.
            replies[index].sort { a, b in
                let ra = messages[a].rank ?? Int.max, rb = messages[b].rank ?? Int.max
                return ra != rb ? ra < rb : a < b
            }
        }
    }

    func replies(of position: Int) -> [Int] {
        replies[position - range.lowerBound]
    }

    /// The position of the tree's root, or nil when the root itself was filtered out.
    func root(id: UUID) -> Int? {
        tops.first { messages[$0].id == id }
    }

    /// Every message, parents before children; a message whose parent was filtered out starts a new run.
    func preOrder() -> [Int] {
        var order: [Int] = []
        order.reserveCapacity(range.count)
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
}
