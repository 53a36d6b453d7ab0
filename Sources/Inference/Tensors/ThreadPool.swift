import Foundation
import Synchronization

/// A small fixed pool of worker threads for the data-parallel loops of a forward pass. The caller runs
/// part 0 itself; workers spin briefly between jobs (a forward pass issues hundreds of short jobs, and
/// waking a sleeping thread costs more than a small matrix product) and then sleep on a condition.
final class ThreadPool: @unchecked Sendable {
    let count: Int
    private let generation = Atomic<Int>(0)
    private let remaining = Atomic<Int>(0)
    private var job: ((Int) -> Void)?
    private let condition = NSCondition()
    private var sleepers = 0

    init(threads: Int) {
        count = max(1, threads)
        for part in 1..<count {
            let t = Thread { self.work(part) }
            t.stackSize = 1 << 20
            t.start()
        }
    }

    /// Runs `body(part)` for part in 0..<count, in parallel, and returns when all are done.
    func run(_ body: @escaping (Int) -> Void) {
        if count == 1 { body(0); return }
        job = body
        remaining.store(count - 1, ordering: .releasing)
        condition.lock()
        generation.add(1, ordering: .releasing)
        if sleepers > 0 { condition.broadcast() }
        condition.unlock()
        body(0)
        while remaining.load(ordering: .acquiring) > 0 { }
        job = nil
    }

    /// Splits 0..<n into `count` contiguous ranges (multiples of `align`) and runs them in parallel.
    func parallelFor(_ n: Int, align: Int = 1, _ body: @escaping (Range<Int>) -> Void) {
        if count == 1 || n <= align { body(0..<n); return }
        let units = (n + align - 1) / align
        run { part in
            let lo = units * part / self.count * align, hi = min(n, units * (part + 1) / self.count * align)
            if lo < hi { body(lo..<hi) }
        }
    }

    /// Splits 0..<n into chunks of `chunk` (a multiple of the caller's alignment) that the threads take in turn
    /// until none are left. For the longest job of a step, the output matrix: when one thread is held up (by
    /// the streams' own tasks on a two-core machine), the other takes its share instead of waiting at the end.
    func parallelForTakingTurns(_ n: Int, chunk: Int, _ body: @escaping (Range<Int>) -> Void) {
        if count == 1 || n <= chunk { body(0..<n); return }
        let next = Atomic<Int>(0)
        withExtendedLifetime(next) {
            run { _ in
                while true {
                    let start = next.add(chunk, ordering: .relaxed).oldValue
                    if start >= n { break }
                    body(start..<min(n, start + chunk))
                }
            }
        }
    }

    private func work(_ part: Int) {
        var seen = 0
        while true {
            var spins = 0
            while generation.load(ordering: .acquiring) == seen {
                spins += 1
                if spins > 200_000 {
                    condition.lock()
                    sleepers += 1
                    while generation.load(ordering: .acquiring) == seen { condition.wait() }
                    sleepers -= 1
                    condition.unlock()
                }
            }
            seen = generation.load(ordering: .acquiring)
            job?(part)
            remaining.subtract(1, ordering: .releasing)
        }
    }
}
