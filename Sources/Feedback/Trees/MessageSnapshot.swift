import Foundation

/// What the rules need to know about one message, as Storage last saw it.
public struct MessageSnapshot: Codable, Sendable, Hashable, Identifiable {
    public var id: UUID
    /// Nil for the initial prompt (the root).
    public var parentID: UUID?
    public var authorID: UUID
    public var role: MessageRole
    public var depth: Int
    public var lang: String
    /// Completed review (label) tasks on this message.
    public var reviewCount: Int
    /// Nil while under review; true once accepted, false once rejected.
    public var reviewResult: Bool?
    public var deleted: Bool
    public var synthetic: Bool
    /// Completed ranking tasks this message took part in.
    public var rankingCount: Int
    /// Consensus rank among its siblings (0 = best), once scored.
    public var rank: Int?
    /// Emoji totals; only `red_flag` and `_skip_reply` matter to the rules.
    public var emojis: [EmojiCode: Int]

    public init(
        id: UUID, parentID: UUID? = nil, authorID: UUID, role: MessageRole, depth: Int = 0, lang: String = "en",
        reviewCount: Int = 0, reviewResult: Bool? = nil, deleted: Bool = false, synthetic: Bool = false,
        rankingCount: Int = 0, rank: Int? = nil, emojis: [EmojiCode: Int] = [:]
    ) {
        self.id = id
        self.parentID = parentID
        self.authorID = authorID
        self.role = role
        self.depth = depth
        self.lang = lang
        self.reviewCount = reviewCount
        self.reviewResult = reviewResult
        self.deleted = deleted
        self.synthetic = synthetic
        self.rankingCount = rankingCount
        self.rank = rank
        self.emojis = emojis
    }

    public var isRoot: Bool { parentID == nil }
    public var isAccepted: Bool { reviewResult == true }
    public var redFlags: Int { emojis[.redFlag] ?? 0 }
    public var replySkips: Int { emojis[.skipReply] ?? 0 }

    /// Not yet decided and still collecting reviews.
    public func isAwaitingReview(_ config: TreeManagerConfiguration) -> Bool {
        reviewResult != true && reviewCount < config.numReviews(isRoot: isRoot)
    }

    /// Counts toward a parent's children and the tree's size: accepted, or a reply still under review.
    /// A rejected reply no longer counts, so its parent can be extended again.
    public func occupiesSlot(_ config: TreeManagerConfiguration) -> Bool {
        guard !deleted else { return false }
        if isRoot { return isAccepted }
        return isAccepted || reviewCount < config.numReviewsReply
    }
}
