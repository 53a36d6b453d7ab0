import Foundation
import Synchronization

/// Values computed at one version of some data, reused until the version moves. Bounded: when full, values
/// of older versions go first, and a cache still full starts afresh.
final class VersionedCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private struct Stored: Sendable {
        var version: Int
        var value: Value
    }

    private let entries = Mutex<[Key: Stored]>([:])
    private let capacity: Int

    init(capacity: Int = 1_024) {
        self.capacity = capacity
    }

    func value(_ key: Key, version: Int) -> Value? {
        entries.withLock { entries in
            guard let stored = entries[key], stored.version == version else { return nil }
            return stored.value
        }
    }

    func store(_ value: Value, for key: Key, version: Int) {
        entries.withLock { entries in
            if entries.count >= capacity, entries[key] == nil {
                entries = entries.filter { $0.value.version >= version }
                if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            }
            entries[key] = Stored(version: version, value: value)
        }
    }
}
