import Feedback
import Foundation
import Synchronization

/// The messages and rankings of trees read earlier, kept with the tree version they were read at.
///
/// Every task request looks at all active trees of its language, and decoding their few hundred message rows
/// was most of its time, although between two requests at most a tree or two changes. Every change to a tree's
/// messages or rankings stamps the tree row with a version never used before (migration 0011); the query that
/// lists the trees reads it, and only trees whose version moved are read again. Each process keeps its own
/// cache; a change made by another process still moves the version, so nothing is ever served stale.
final class TreeSnapshotCache: Sendable {
    struct Contents: Sendable {
        var version: Int64
        var lang: String
        var messages: [MessageSnapshot]
        var rankings: [RankingSubmission]
    }

    private let entries = Mutex<[UUID: Contents]>([:])

    /// The tree's contents if they were read at exactly this version.
    func contents(of treeID: UUID, at version: Int64) -> Contents? {
        entries.withLock { entries in
            guard let stored = entries[treeID], stored.version == version else { return nil }
            return stored
        }
    }

    func store(_ contents: Contents, for treeID: UUID) {
        entries.withLock { $0[treeID] = contents }
    }

    /// Forgets the trees of `lang` that are no longer active, so the cache holds at most the active trees.
    func keepOnly(_ activeIDs: Set<UUID>, lang: String) {
        entries.withLock { entries in
            entries = entries.filter { $0.value.lang != lang || activeIDs.contains($0.key) }
        }
    }

    var count: Int { entries.withLock { $0.count } }
}
