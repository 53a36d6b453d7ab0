import Foundation

/// One message tree as Storage last saw it: its state row, its messages and its completed rankings.
public struct TreeSnapshot: Codable, Sendable, Hashable, Identifiable {
    /// The root message id.
    public var id: UUID
    public var state: TreeState
    /// Inactive trees get no tasks. Terminal states make a tree inactive.
    public var active: Bool
    public var goalTreeSize: Int
    public var maxDepth: Int
    public var maxChildrenCount: Int
    public var lang: String
    public var wonPromptLotteryAt: Date?
    public var messages: [MessageSnapshot]
    /// Completed ranking tasks of this tree.
    public var rankings: [RankingSubmission]

    public init(
        id: UUID, state: TreeState, active: Bool? = nil, goalTreeSize: Int = 12, maxDepth: Int = 3,
        maxChildrenCount: Int = 3, lang: String = "en", wonPromptLotteryAt: Date? = nil,
        messages: [MessageSnapshot], rankings: [RankingSubmission] = []
    ) {
        self.id = id
        self.state = state
        self.active = active ?? !state.isTerminal
        self.goalTreeSize = goalTreeSize
        self.maxDepth = maxDepth
        self.maxChildrenCount = maxChildrenCount
        self.lang = lang
        self.wonPromptLotteryAt = wonPromptLotteryAt
        self.messages = messages
        self.rankings = rankings
    }

    public var root: MessageSnapshot? { messages.first { $0.isRoot } }

    public func message(_ id: UUID) -> MessageSnapshot? { messages.first { $0.id == id } }

    public func children(of parentID: UUID) -> [MessageSnapshot] {
        messages.filter { $0.parentID == parentID }
    }

    /// Accepted, non-deleted messages: what the goal size is measured in.
    public var size: Int { messages.filter { !$0.deleted && $0.isAccepted }.count }

    /// Non-deleted messages still waiting for their reviews.
    public func awaitingReview(_ config: TreeManagerConfiguration) -> Int {
        messages.filter { !$0.deleted && $0.isAwaitingReview(config) }.count
    }

    /// Messages that fill the goal: the accepted root plus replies accepted or under review.
    public func occupiedSize(_ config: TreeManagerConfiguration) -> Int {
        messages.filter { $0.occupiesSlot(config) }.count
    }

    /// Replies still needed to reach the goal size (Open Assistant's `remaining_messages`).
    public func missingReplies(_ config: TreeManagerConfiguration) -> Int {
        max(0, goalTreeSize - occupiedSize(config))
    }
}

/// A completed ranking task: one contributor's order of the replies they were shown, best first.
public struct RankingSubmission: Codable, Sendable, Hashable {
    public var parentID: UUID
    public var userID: UUID
    public var rankedMessageIDs: [UUID]
    /// "None of these can be ranked": stored and exported, but the consensus still uses the order.
    public var notRankable: Bool

    public init(parentID: UUID, userID: UUID, rankedMessageIDs: [UUID], notRankable: Bool = false) {
        self.parentID = parentID
        self.userID = userID
        self.rankedMessageIDs = rankedMessageIDs
        self.notRankable = notRankable
    }
}

/// The settings a new tree starts with.
public struct NewTreeSettings: Codable, Sendable, Equatable {
    public var state: TreeState
    public var goalTreeSize: Int
    public var maxDepth: Int
    public var maxChildrenCount: Int

    /// A tree created for a new initial prompt: under review, with the configured goal (drawn at random when
    /// `randomGoalTreeSize` is set).
    public static func forNewPrompt(
        _ config: TreeManagerConfiguration, using rng: inout some RandomNumberGenerator
    ) -> NewTreeSettings {
        var goal = config.goalTreeSize
        if config.randomGoalTreeSize, config.minGoalTreeSize < config.goalTreeSize {
            goal = Int.random(in: config.minGoalTreeSize...config.goalTreeSize, using: &rng)
        }
        return NewTreeSettings(
            state: .initialPromptReview, goalTreeSize: goal, maxDepth: config.maxTreeDepth,
            maxChildrenCount: config.maxChildrenCount)
    }

    /// A state row for a root found without one (e.g. after an import or a crash): a root that already has
    /// replies is growing, a lone root is under review.
    public static func forExistingRoot(hasReplies: Bool, _ config: TreeManagerConfiguration) -> NewTreeSettings {
        NewTreeSettings(
            state: hasReplies ? .growing : .initialPromptReview, goalTreeSize: config.goalTreeSize,
            maxDepth: config.maxTreeDepth, maxChildrenCount: config.maxChildrenCount)
    }

    /// An imported tree waits in the backlog (or goes straight to ranking) with nothing more to grow.
    public static func forImport(intoRanking: Bool, _ config: TreeManagerConfiguration) -> NewTreeSettings {
        NewTreeSettings(
            state: intoRanking ? .ranking : .backlogRanking, goalTreeSize: 0, maxDepth: config.maxTreeDepth,
            maxChildrenCount: config.maxChildrenCount)
    }
}
