import Foundation
@testable import Storage
import TestSupport
import Testing

/// A sliding-window limit counts each allowed event once, refuses the rest with the wait until the oldest
/// counted event leaves the window, and stays exact when many requests for the same key race.
@Suite("Rate limits")
struct RateLimitStoreTests {
    @Test("racing requests for one key take exactly the limit; other keys and buckets are apart")
    func racingRequests() async throws {
        try await TestServer.withDatabase { database in
            let store = RateLimitStore(database: database)
            let limit = RateLimitStore.Limit(bucket: "test", count: 5, window: .seconds(600))
            let decisions = try await withThrowingTaskGroup(of: RateLimitStore.Decision.self) { group in
                for _ in 0..<20 { group.addTask { try await store.hit(limit, key: "racer") } }
                var all: [RateLimitStore.Decision] = []
                for try await decision in group { all.append(decision) }
                return all
            }
            #expect(decisions.filter { $0 == .allowed }.count == 5)
            for case .limited(let wait) in decisions {
                #expect(wait > 590 && wait <= 600, "the oldest event leaves the ten-minute window in about ten minutes")
            }
            #expect(try await store.remaining(limit, key: "racer") == 0)
            #expect(try await store.hit(limit, key: "someone else") == .allowed)
            #expect(try await store.hit(RateLimitStore.Limit(bucket: "other", count: 1, window: .seconds(600)), key: "racer") == .allowed)
        }
    }

    @Test("a request waits for one that holds the key's lock, then counts what it committed")
    func waitsForTheLockHolder() async throws {
        try await TestServer.withDatabase { database in
            let store = RateLimitStore(database: database)
            let limit = RateLimitStore.Limit(bucket: "test", count: 5, window: .seconds(600))
            try await database.withConnection { holder in
                // Another request's transaction: it holds the key's lock and has counted four events, not yet committed.
                try await holder.query("BEGIN", logger: database.logger)
                try await holder.query("SELECT pg_advisory_xact_lock(hashtextextended('test' || chr(31) || 'k', 0))", logger: database.logger)
                try await holder.query("INSERT INTO rate_limit_events (bucket, key) SELECT 'test', 'k' FROM generate_series(1, 4)", logger: database.logger)
                async let racers = withThrowingTaskGroup(of: RateLimitStore.Decision.self) { group in
                    for _ in 0..<3 { group.addTask { try await store.hit(limit, key: "k") } }
                    var all: [RateLimitStore.Decision] = []
                    for try await decision in group { all.append(decision) }
                    return all
                }
                try await Task.sleep(for: .milliseconds(300))
                try await holder.query("COMMIT", logger: database.logger)
                let decisions = try await racers
                #expect(decisions.filter { $0 == .allowed }.count == 1, "only the fifth slot was left: \(decisions)")
            }
        }
    }

    @Test("events older than the window no longer count")
    func windowSlides() async throws {
        try await TestServer.withDatabase { database in
            let store = RateLimitStore(database: database)
            let limit = RateLimitStore.Limit(bucket: "test", count: 2, window: .seconds(60))
            #expect(try await store.hit(limit, key: "k") == .allowed)
            #expect(try await store.hit(limit, key: "k") == .allowed)
            #expect(try await store.hit(limit, key: "k") != .allowed)
            try await database.withConnection { connection in
                try await connection.query("UPDATE rate_limit_events SET at = at - interval '61 seconds'", logger: database.logger)
            }
            #expect(try await store.hit(limit, key: "k") == .allowed)
            #expect(try await store.remaining(limit, key: "k") == 1)
        }
    }
}
