import Feedback
import Foundation
import Synchronization

/// Rendered rows of leaderboard pages, reused while the board's version stands still. Every reader of a
/// page sees the same rows (only the reader's own row differs, and that page is never taken from here), so
/// rendering them once per version spares the template engine the bulk of every board request.
final class BoardPageCache: Sendable {
    struct Key: Hashable {
        var frame: TimeFrame
        var page: Int
    }

    struct Entry: Sendable {
        var version: Int
        var rowsHtml: String
        var userIDs: Set<UUID>
        var hasRows: Bool
        var hasMore: Bool
    }

    private let entries = Mutex<[Key: Entry]>([:])
    private let capacity: Int

    init(capacity: Int = 1_024) {
        self.capacity = capacity
    }

    func entry(_ key: Key, version: Int) -> Entry? {
        entries.withLock { entries in
            guard let entry = entries[key], entry.version == version else { return nil }
            return entry
        }
    }

    func store(_ entry: Entry, for key: Key) {
        entries.withLock { entries in
            if entries.count >= capacity, entries[key] == nil {
                // Pages of older versions go first; a board read in more places than fit starts afresh.
                entries = entries.filter { $0.value.version >= entry.version }
                if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            }
            entries[key] = entry
        }
    }
}
