import Foundation
import NIOConcurrencyHelpers
import Storage

/// Wakes whoever waits on a reply (streams) or on the queue (workers) when something changed.
/// Signals come from this process's worker directly and from other processes through
/// `NOTIFY chat_events`; waits always have a timeout, so a lost signal costs latency, never a hang.
public final class ChatSignals: Sendable {
    private struct State {
        var versions: [UUID: Int] = [:]
        var waiters: [UUID: [(id: Int, continuation: CheckedContinuation<Void, Never>)]] = [:]
        var nextWaiter = 0
        /// Waiters released before they got to register (the timeout won the race).
        var released: Set<Int> = []
    }

    private let state = NIOLockedValueBox(State())
    /// The key for "new work in the queue".
    public static let work = UUID(uuidString: ChatQueue.workChannelKey)!

    public init() {}

    /// A counter for `key`; compare it before reading and pass it to `wait` to never miss a change.
    public func version(of key: UUID) -> Int {
        state.withLockedValue { $0.versions[key] ?? 0 }
    }

    public func signal(_ key: UUID) {
        let waiting = state.withLockedValue { state -> [CheckedContinuation<Void, Never>] in
            state.versions[key, default: 0] += 1
            let waiting = state.waiters.removeValue(forKey: key) ?? []
            // Forget counters nobody can be waiting on, so the table does not grow with every reply ever.
            if state.versions.count > 10_000 { state.versions = state.versions.filter { state.waiters[$0.key] != nil } }
            return waiting.map(\.continuation)
        }
        waiting.forEach { $0.resume() }
    }

    /// Returns once `key` moved past `version`, or after `timeout`.
    public func wait(for key: UUID, after version: Int, timeout: Duration) async {
        let id = state.withLockedValue { state -> Int in
            state.nextWaiter += 1
            return state.nextWaiter
        }
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                await withCheckedContinuation { continuation in
                    let resumeNow = self.state.withLockedValue { state -> Bool in
                        if state.released.remove(id) != nil || (state.versions[key] ?? 0) != version { return true }
                        state.waiters[key, default: []].append((id, continuation))
                        return false
                    }
                    if resumeNow { continuation.resume() }
                }
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                self.release(key: key, waiter: id)
            }
            await group.next()
            group.cancelAll()
            self.release(key: key, waiter: id)
        }
        _ = state.withLockedValue { $0.released.remove(id) }
    }

    private func release(key: UUID, waiter: Int) {
        let continuation = state.withLockedValue { state -> CheckedContinuation<Void, Never>? in
            guard let index = state.waiters[key]?.firstIndex(where: { $0.id == waiter }) else {
                state.released.insert(waiter)
                return nil
            }
            let continuation = state.waiters[key]?.remove(at: index).continuation
            if state.waiters[key]?.isEmpty == true { state.waiters[key] = nil }
            return continuation
        }
        continuation?.resume()
    }
}
