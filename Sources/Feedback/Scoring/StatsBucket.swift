import Foundation

/// Scores are kept per user per hour so the rolling frames can be rebuilt from at most 31 days of buckets,
/// never from the whole journal.
public enum StatsBucket {
    /// The start of the UTC hour holding `date`.
    public static func hour(of date: Date) -> Date {
        Date(timeIntervalSince1970: (date.timeIntervalSince1970 / 3600).rounded(.down) * 3600)
    }

    /// The first bucket that counts for the frame at `now`. The rolling day takes the hours that lie wholly
    /// inside the last 24 hours plus the current one; week and month start at midnight UTC, an hour boundary.
    public static func firstHour(of frame: TimeFrame, now: Date) -> Date? {
        guard let start = frame.start(now: now) else { return nil }
        return frame == .day ? hour(of: start).addingTimeInterval(3600) : hour(of: start)
    }

    /// The oldest bucket any rolling frame still needs; older ones may be dropped.
    public static func oldestNeededHour(now: Date) -> Date {
        firstHour(of: .month, now: now)!
    }
}
