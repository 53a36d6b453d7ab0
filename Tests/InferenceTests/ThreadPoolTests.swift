import Synchronization
import Testing
@testable import Inference

@Suite struct ThreadPoolTests {
    /// One pool for every case: its worker threads live as long as the process.
    static let pool = ThreadPool(threads: 2)

    /// Taking chunks in turn covers every index exactly once, whatever the sizes, and ends only when all are done.
    @Test(arguments: [(0, 64), (1, 64), (63, 64), (64, 64), (65, 64), (1000, 64), (262_144, 4096), (5000, 4096)])
    func takingTurnsCoversEveryIndexOnce(n: Int, chunk: Int) {
        let pool = Self.pool
        let seen = UnsafeMutableBufferPointer<Int>.allocate(capacity: max(1, n))
        seen.initialize(repeating: 0)
        defer { seen.deallocate() }
        let calls = Atomic<Int>(0)
        let base = seen.baseAddress!
        pool.parallelForTakingTurns(n, chunk: chunk) { range in
            #expect(range.count <= chunk)
            calls.add(1, ordering: .relaxed)
            for i in range { base[i] += 1 }
        }
        #expect(seen.prefix(n).allSatisfy { $0 == 1 }, "n \(n), chunk \(chunk)")
        #expect(calls.load(ordering: .relaxed) >= (n + chunk - 1) / chunk)
    }
}
