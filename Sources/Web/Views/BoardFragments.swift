import Feedback
import Foundation
import Storage

/// The rendered parts of leaderboard pages, kept per board version. Every reader of a page sees the same
/// rows (only the page holding the reader's own row differs, and that one is never kept), and a reader's
/// neighbours change only with the version, so rendering each once spares the template engine the bulk of
/// every board request. A signed-out visitor's page has nothing of its own, so it is kept whole.
struct BoardFragments: Sendable {
    struct PageKey: Hashable, Sendable {
        var frame: TimeFrame
        var page: Int
    }

    struct Rows: Sendable {
        var html: String
        var userIDs: Set<UUID>
        var hasRows: Bool
        var hasMore: Bool
    }

    struct ReaderKey: Hashable, Sendable {
        var frame: TimeFrame
        var userID: UUID
    }

    /// The reader's own place: their neighbours' rows, or nil when they are not on this board.
    struct Place: Sendable {
        var neighboursHtml: String?
    }

    /// The board's version, read at most once a second: a change shows within a second, and a busy board
    /// costs the database nothing per view.
    let state = RecentValue<Leaderboard.State>(maxAge: .seconds(1))
    let pages = VersionedCache<PageKey, Rows>()
    /// Whole pages as a signed-out visitor sees them: nothing on them depends on the visitor.
    let signedOutPages = VersionedCache<PageKey, String>()
    let places = VersionedCache<ReaderKey, Place>(capacity: 4_096)
}
