import Foundation

/// Leaderboard time frames. Day is the rolling last 24 hours; week and month start at 00:00 UTC seven and
/// thirty days ago; total has no start.
public enum TimeFrame: String, Codable, Sendable, CaseIterable, Hashable {
    case day
    case week
    case month
    case total

    /// Actions at or after this instant count for the frame.
    public func start(now: Date) -> Date? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        switch self {
        case .day:
            return now.addingTimeInterval(-86400)
        case .week:
            return calendar.startOfDay(for: now.addingTimeInterval(-7 * 86400))
        case .month:
            return calendar.startOfDay(for: now.addingTimeInterval(-30 * 86400))
        case .total:
            return nil
        }
    }

    public func contains(_ date: Date, now: Date) -> Bool {
        guard let start = start(now: now) else { return true }
        return date >= start
    }
}
