import Foundation

/// A prompt that should get one more model-written assistant reply.
public struct SyntheticReplyTarget: Sendable, Equatable, Hashable {
    public var parentID: UUID
    public var treeID: UUID
    public var depth: Int

    public init(parentID: UUID, treeID: UUID, depth: Int) {
        self.parentID = parentID
        self.treeID = treeID
        self.depth = depth
    }
}

/// Which prompts get model-written replies, and how many generations may start now.
///
/// A model reply takes a child slot exactly like a human reply and then goes through the same reviews, so it is
/// only offered where a human assistant reply could go: an accepted prompter message in a growing tree below its
/// goal and depth. It never takes the last free slot, so every sibling set that gets ranked can hold human
/// replies beside model ones.
public enum SyntheticReplyRules {
    /// A small model sometimes ends its turn at once (an empty reply) or rambles past the size limit; such a
    /// reply is sampled again, up to this many times in all, before the prompt waits for a later pass.
    public static let attemptsPerReply = 3

    /// Model replies allowed under one parent in this tree.
    public static func allowedReplies(in tree: TreeSnapshot, _ policy: SyntheticReplyPolicy) -> Int {
        max(0, min(policy.repliesPerPrompt, tree.maxChildrenCount - 1))
    }

    /// Whether one more model reply may go under `parentID` now.
    /// - Parameter openHumanReplyTasks: reply tasks people hold on this parent; their replies still need room.
    public static func accepts(
        _ parentID: UUID, in tree: TreeSnapshot, openHumanReplyTasks: Int = 0,
        _ policy: SyntheticReplyPolicy, _ config: TreeManagerConfiguration
    ) -> Bool {
        guard policy.isEnabled, CandidateRules.isExtendible(tree, config), let parent = tree.message(parentID) else { return false }
        guard parent.role == .prompter, parent.isAccepted, !parent.deleted, parent.depth < tree.maxDepth else { return false }
        let children = tree.children(of: parentID)
        let occupied = children.filter { $0.occupiesSlot(config) }.count
        // Every model reply counts, even a rejected or deleted one: the model does not try again where people said no.
        let written = children.filter(\.synthetic).count
        return written < allowedReplies(in: tree, policy) && occupied + openHumanReplyTasks < tree.maxChildrenCount
    }

    /// Prompts that may get a model reply now, shallowest first (initial prompts before follow-ups), then oldest tree.
    /// - Parameter openHumanReplyTasks: open human reply tasks per parent.
    public static func targets(
        in trees: [TreeSnapshot], openHumanReplyTasks: [UUID: Int] = [:],
        _ policy: SyntheticReplyPolicy, _ config: TreeManagerConfiguration
    ) -> [SyntheticReplyTarget] {
        guard policy.isEnabled else { return [] }
        var found: [SyntheticReplyTarget] = []
        for tree in trees where CandidateRules.isExtendible(tree, config) {
            for message in tree.messages
            where accepts(message.id, in: tree, openHumanReplyTasks: openHumanReplyTasks[message.id] ?? 0, policy, config) {
                found.append(SyntheticReplyTarget(parentID: message.id, treeID: tree.id, depth: message.depth))
            }
        }
        return found.sorted { ($0.depth, $0.treeID, $0.parentID) < ($1.depth, $1.treeID, $1.parentID) }
    }

    /// Generations to start now: within the hourly budget (counting the running ones, which will be written)
    /// and the concurrency cap.
    public static func generationsToStart(writtenInLastHour: Int, running: Int, _ policy: SyntheticReplyPolicy) -> Int {
        guard policy.isEnabled else { return 0 }
        let hourly = policy.maxRepliesPerHour - writtenInLastHour - running
        let concurrent = policy.maxConcurrentGenerations - running
        return max(0, min(hourly, concurrent))
    }
}
