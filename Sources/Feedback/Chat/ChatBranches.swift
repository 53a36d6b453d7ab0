/// Which branch of a chat's message tree is on screen. Retry and edit add siblings; the page shows
/// one path from the first message to a leaf, with "‹ 2/3 ›" at every message that has siblings.
public struct ChatBranches<ID: Hashable & Sendable>: Sendable {
    public struct Node: Sendable {
        public var id: ID
        public var parent: ID?
        public init(id: ID, parent: ID?) {
            self.id = id
            self.parent = parent
        }
    }

    /// One message on the shown path, with its place among its siblings.
    public struct Step: Sendable, Equatable {
        public var id: ID
        /// 1-based position among the siblings, oldest first.
        public var position: Int
        public var siblingCount: Int
        public var previous: ID?
        public var next: ID?
    }

    private let parents: [ID: ID?]
    private let children: [ID?: [ID]]

    /// `nodes` in creation order, which is the order siblings are shown in.
    public init(_ nodes: [Node]) {
        var parents: [ID: ID?] = [:]
        var children: [ID?: [ID]] = [:]
        for node in nodes {
            parents[node.id] = node.parent
            children[node.parent, default: []].append(node.id)
        }
        self.parents = parents
        self.children = children
    }

    /// The path through `focus`: its ancestors, itself, then the newest reply at each level below it.
    /// With no focus (or an unknown one) it runs to the newest leaf of the newest first message.
    public func path(through focus: ID?) -> [Step] {
        var ids: [ID] = []
        if let focus, parents[focus] != nil {
            var cursor: ID? = focus
            while let id = cursor {
                ids.insert(id, at: 0)
                cursor = parents[id] ?? nil
            }
        } else if let first = children[nil]?.last {
            ids = [first]
        }
        while let last = ids.last, let newest = children[last]?.last {
            ids.append(newest)
        }
        return ids.map(step)
    }

    private func step(_ id: ID) -> Step {
        let siblings = children[parents[id] ?? nil] ?? [id]
        let index = siblings.firstIndex(of: id) ?? 0
        return Step(
            id: id, position: index + 1, siblingCount: siblings.count,
            previous: index > 0 ? siblings[index - 1] : nil,
            next: index + 1 < siblings.count ? siblings[index + 1] : nil
        )
    }
}
