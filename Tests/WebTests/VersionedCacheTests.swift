import Foundation
import Testing
@testable import Web

@Suite("Versioned caches and page dates")
struct VersionedCacheTests {
    @Test("a value is reused only at the version it was computed at")
    func versioned() {
        let cache = VersionedCache<String, String>()
        cache.store("rows of v3", for: "total/1", version: 3)
        #expect(cache.value("total/1", version: 3) == "rows of v3")
        #expect(cache.value("total/1", version: 4) == nil)
        #expect(cache.value("day/1", version: 3) == nil)
    }

    @Test("a full cache drops older versions first and never grows past its capacity")
    func bounded() {
        let cache = VersionedCache<Int, String>(capacity: 3)
        for page in 1...3 { cache.store("v1", for: page, version: 1) }
        cache.store("v2", for: 9, version: 2)
        #expect(cache.value(1, version: 1) == nil)
        #expect(cache.value(9, version: 2) == "v2")
        for page in 10...12 { cache.store("v2", for: page, version: 2) }
        #expect(cache.value(12, version: 2) == "v2")
        #expect(cache.value(9, version: 2) == nil, "a full cache of one version starts afresh")
    }

    @Test("a recent value is reused until it is older than its age limit")
    func recent() async throws {
        let version = RecentValue<Int>(maxAge: .milliseconds(200))
        #expect(try await version.get { 1 } == 1)
        #expect(try await version.get { 2 } == 1, "read again at once: the kept value")
        try await Task.sleep(for: .milliseconds(250))
        #expect(try await version.get { 3 } == 3)
    }

    @Test("dates are shown in UTC to the minute")
    func dates() {
        #expect(DateText.minute(Date(timeIntervalSince1970: 0)) == "1970-01-01 00:00 UTC")
        #expect(DateText.minute(Date(timeIntervalSince1970: 1_795_000_000.9)) == "2026-11-18 11:06 UTC")
    }
}
