import Foundation
import Testing
@testable import Web

@Suite("Rendered board pages and page dates")
struct BoardPageCacheTests {
    func entry(version: Int, users: [UUID] = []) -> BoardPageCache.Entry {
        .init(version: version, rowsHtml: "<tr>v\(version)</tr>", userIDs: Set(users), hasRows: !users.isEmpty, hasMore: false)
    }

    @Test("a page is reused only at the version it was rendered at")
    func versioned() {
        let cache = BoardPageCache()
        let key = BoardPageCache.Key(frame: .total, page: 1)
        cache.store(entry(version: 3), for: key)
        #expect(cache.entry(key, version: 3)?.rowsHtml == "<tr>v3</tr>")
        #expect(cache.entry(key, version: 4) == nil)
        #expect(cache.entry(.init(frame: .day, page: 1), version: 3) == nil)
    }

    @Test("a full cache drops older versions first and never grows past its capacity")
    func bounded() {
        let cache = BoardPageCache(capacity: 3)
        for page in 1...3 { cache.store(entry(version: 1), for: .init(frame: .week, page: page)) }
        cache.store(entry(version: 2), for: .init(frame: .week, page: 9))
        #expect(cache.entry(.init(frame: .week, page: 1), version: 1) == nil)
        #expect(cache.entry(.init(frame: .week, page: 9), version: 2) != nil)
        for page in 10...12 { cache.store(entry(version: 2), for: .init(frame: .week, page: page)) }
        #expect(cache.entry(.init(frame: .week, page: 12), version: 2) != nil)
        #expect(cache.entry(.init(frame: .week, page: 9), version: 2) == nil, "a full cache of one version starts afresh")
    }

    @Test("dates are shown in UTC to the minute")
    func dates() {
        #expect(DateText.minute(Date(timeIntervalSince1970: 0)) == "1970-01-01 00:00 UTC")
        #expect(DateText.minute(Date(timeIntervalSince1970: 1_795_000_000.9)) == "2026-11-18 11:06 UTC")
    }
}
