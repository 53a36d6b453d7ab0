import Foundation
import Synchronization

/// A value read from elsewhere and reused while it is younger than `maxAge`. For numbers every request
/// needs that may be a moment out of date, such as the leaderboard's version.
final class RecentValue<Value: Sendable>: Sendable {
    private let stored = Mutex<(value: Value, readAt: ContinuousClock.Instant)?>(nil)
    private let maxAge: Duration

    init(maxAge: Duration) {
        self.maxAge = maxAge
    }

    func get(_ read: () async throws -> Value) async throws -> Value {
        let now = ContinuousClock.now
        if let recent = stored.withLock({ $0 }), recent.readAt.duration(to: now) < maxAge {
            return recent.value
        }
        let value = try await read()
        stored.withLock { $0 = (value, now) }
        return value
    }
}
