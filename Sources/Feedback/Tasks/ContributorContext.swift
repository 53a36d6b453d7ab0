import Foundation

/// What the candidate rules need to know about the contributor asking for a task.
public struct ContributorContext: Sendable, Equatable {
    public var userID: UUID
    /// Messages this user skipped, by skip marker (`_skip_reply`, `_skip_labeling`, `_skip_ranking`).
    public var skipped: [EmojiCode: Set<UUID>]
    /// Messages this user already labeled through a task.
    public var labeledMessageIDs: Set<UUID>
    /// Parents whose replies this user already ranked.
    public var rankedParentIDs: Set<UUID>
    /// Development switches (all off in production): label or rank your own messages, repeat tasks.
    public var allowSelfLabeling = false
    public var allowSelfRanking = false
    public var allowDuplicateTasks = false

    public init(
        userID: UUID, skipped: [EmojiCode: Set<UUID>] = [:], labeledMessageIDs: Set<UUID> = [],
        rankedParentIDs: Set<UUID> = []
    ) {
        self.userID = userID
        self.skipped = skipped
        self.labeledMessageIDs = labeledMessageIDs
        self.rankedParentIDs = rankedParentIDs
    }

    public func hasSkipped(_ messageID: UUID, _ marker: EmojiCode) -> Bool {
        skipped[marker]?.contains(messageID) ?? false
    }
}

/// A reply task that was handed out and is neither done nor skipped.
public struct OpenReplyTask: Sendable, Equatable {
    public var parentID: UUID
    public var createdAt: Date

    public init(parentID: UUID, createdAt: Date) {
        self.parentID = parentID
        self.createdAt = createdAt
    }
}

public enum TaskLimits {
    /// Parents with an open reply task younger than the recent-task span are offered to nobody else, so two
    /// people do not write the third reply of the same message at once.
    public static func softLockedParents(
        _ openReplyTasks: [OpenReplyTask], now: Date, _ config: TreeManagerConfiguration
    ) -> Set<UUID> {
        let since = now.addingTimeInterval(-Double(config.recentTasksSpanSeconds))
        return Set(openReplyTasks.filter { $0.createdAt > since }.map(\.parentID))
    }

    /// Whether the user may get another task: fewer than `maxPendingTasksPerUser` open tasks created within the
    /// recent-task span. `pendingTaskCreationDates` are the user's tasks that are neither done nor skipped.
    public static func allowsNewTask(
        pendingTaskCreationDates: [Date], now: Date, _ config: TreeManagerConfiguration
    ) -> Bool {
        let since = now.addingTimeInterval(-Double(config.recentTasksSpanSeconds))
        return pendingTaskCreationDates.filter { $0 > since }.count < config.maxPendingTasksPerUser
    }

    /// Whether a handed-out task has expired.
    public static func isExpired(createdAt: Date, now: Date, _ limits: SubmissionLimits) -> Bool {
        now >= createdAt.addingTimeInterval(limits.taskValiditySeconds)
    }
}
