import Foundation

/// Days of continued activity. A streak starts at the first activity and counts whole days since then; it ends
/// when the contributor is inactive for more than `maxGap` (36 hours, so one missed evening does not break it).
public struct Streak: Codable, Sendable, Equatable {
    public var startedAt: Date
    public var lastActivityAt: Date
    public var days: Int

    public init(startedAt: Date, lastActivityAt: Date, days: Int) {
        self.startedAt = startedAt
        self.lastActivityAt = lastActivityAt
        self.days = days
    }

    public static let maxGap: TimeInterval = 36 * 3600

    /// The streak after an activity at `now`.
    public static func recordingActivity(_ streak: Streak?, at now: Date) -> Streak {
        guard let streak, streak.startedAt <= now, !streak.isBroken(at: now) else {
            return Streak(startedAt: now, lastActivityAt: now, days: 0)
        }
        let days = Int(now.timeIntervalSince(streak.startedAt) / 86400)
        return Streak(startedAt: streak.startedAt, lastActivityAt: max(now, streak.lastActivityAt), days: days)
    }

    /// Whether the streak ended because of inactivity (the periodic job then resets it).
    public func isBroken(at now: Date) -> Bool {
        now.timeIntervalSince(lastActivityAt) > Streak.maxGap
    }

    /// Days to show at `now`: 0 once broken.
    public func currentDays(at now: Date) -> Int {
        isBroken(at: now) ? 0 : days
    }
}
