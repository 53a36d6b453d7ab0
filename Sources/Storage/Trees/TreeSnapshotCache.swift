import Feedback
import Foundation
import Synchronization

/// The messages and rankings of trees read earlier, kept with the fingerprint they were read at.
///
/// Every task request looks at all active trees of its language, and decoding their few hundred message rows
/// was most of its time, although between two requests at most a tree or two changes. The database computes
/// each tree's fingerprint (`TreeFingerprint`) in the same query that lists the trees, and only trees whose
/// fingerprint moved are read again. Each process keeps its own cache; a change made by another process
/// still moves the fingerprint, so nothing is ever served stale.
final class TreeSnapshotCache: Sendable {
    struct Contents: Sendable {
        var fingerprint: String
        var lang: String
        var messages: [MessageSnapshot]
        var rankings: [RankingSubmission]
    }

    private let entries = Mutex<[UUID: Contents]>([:])

    /// The tree's contents if they were read at exactly this fingerprint.
    func contents(of treeID: UUID, at fingerprint: String) -> Contents? {
        entries.withLock { entries in
            guard let stored = entries[treeID], stored.fingerprint == fingerprint else { return nil }
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
