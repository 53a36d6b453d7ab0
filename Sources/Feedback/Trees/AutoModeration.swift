import Foundation

/// What auto-moderation does to a tree whose messages collected too many red flags or reply skips.
public enum ModerationAction: Sendable, Equatable, Hashable {
    /// The initial prompt was flagged: the tree is aborted.
    case abortTree
    /// A reply was flagged: it is marked deleted together with all its descendants.
    case deleteSubtree(UUID)
    /// Repliers keep skipping a message: the tree is halted for a moderator to look at.
    case haltTree
}

public enum AutoModeration {
    /// Actions for one tree, in the order to apply them. Only active trees under prompt review or growing are
    /// watched, and only messages that are the root, accepted, or replies still under review.
    public static func actions(for tree: TreeSnapshot, _ config: TreeManagerConfiguration) -> [ModerationAction] {
        guard config.autoModEnabled, tree.active,
            tree.state == .initialPromptReview || tree.state == .growing
        else { return [] }
        var actions: [ModerationAction] = []
        let watched = tree.messages.filter { message in
            !message.deleted
                && (message.isRoot || message.isAccepted || message.reviewCount < config.numReviewsReply)
        }
        for message in watched.sorted(by: { ($0.depth, $0.id) < ($1.depth, $1.id) }) {
            if message.redFlags >= config.autoModRedFlags {
                actions.append(message.isRoot ? .abortTree : .deleteSubtree(message.id))
            }
            if message.replySkips >= config.autoModMaxSkipReply, !actions.contains(.haltTree) {
                actions.append(.haltTree)
            }
        }
        // Once the tree is aborted nothing else needs doing.
        if actions.contains(.abortTree) { return [.abortTree] }
        return actions
    }

    /// Ids of a message and all its descendants (what deleting or undeleting a subtree touches).
    public static func subtree(of messageID: UUID, in tree: TreeSnapshot) -> [UUID] {
        var result: [UUID] = []
        var frontier = [messageID]
        while let id = frontier.popLast() {
            result.append(id)
            frontier.append(contentsOf: tree.children(of: id).map(\.id))
        }
        return result
    }

    /// Ids of a message and all its ancestors (what undeleting a message restores, so it is reachable again).
    public static func pathToRoot(of messageID: UUID, in tree: TreeSnapshot) -> [UUID] {
        var result: [UUID] = []
        var current = tree.message(messageID)
        while let message = current, !result.contains(message.id) {
            result.append(message.id)
            current = message.parentID.flatMap(tree.message)
        }
        return result
    }
}
