import Foundation

/// A person as the server knows them. Email is private; the display name is what others see.
public struct User: Sendable, Equatable {
    public enum Role: String, Sendable, CaseIterable, Comparable {
        case general, moderator, admin

        private var rank: Int { Role.allCases.firstIndex(of: self)! }
        public static func < (lhs: Role, rhs: Role) -> Bool { lhs.rank < rhs.rank }
    }

    public let id: UUID
    public var email: String?
    public var displayName: String?
    public var role: Role
    public var banned: Bool
    public var bannedReason: String?
    public var termsAcceptedAt: Date?
    public var showOnLeaderboard: Bool
    public var deleted: Bool
    public var createdAt: Date

    /// A new user must pick a display name and accept the terms before taking any task.
    public var needsOnboarding: Bool { displayName == nil || termsAcceptedAt == nil }
}
