import Foundation
import Storage

/// Follows one reply's event log from a given point to its end: what a stream sends, and what the
/// API waits on. It wakes on signals and looks at the log at least once a second.
struct ReplyFollower: Sendable {
    let log: ChatEventLog
    let signals: ChatSignals

    enum Item: Sendable {
        /// Still waiting; 1 is next in line. Sent when the position changes.
        case queued(position: Int, lastSeq: Int)
        case event(ChatEventLog.Event)
        /// Nothing happened for a while; a stream sends a comment so proxies keep it open.
        case idle
    }

    func follow(_ messageID: UUID, after start: Int) -> AsyncThrowingStream<Item, Error> {
        AsyncThrowingStream { continuation in
            let task = Task {
                var seq = start
                var lastPosition: Int?
                var quietSince = ContinuousClock.now
                do {
                    while !Task.isCancelled {
                        let version = signals.version(of: messageID)
                        let events = try await log.events(of: messageID, after: seq)
                        for event in events {
                            continuation.yield(.event(event))
                            seq = event.seq
                            if event.isLast {
                                continuation.finish()
                                return
                            }
                        }
                        if events.isEmpty {
                            let position = try await log.queuePosition(of: messageID)
                            if let position, position != lastPosition {
                                continuation.yield(.queued(position: position, lastSeq: seq))
                                quietSince = .now
                            }
                            lastPosition = position
                            if ContinuousClock.now - quietSince > .seconds(15) {
                                continuation.yield(.idle)
                                quietSince = .now
                            }
                        } else {
                            quietSince = .now
                        }
                        await signals.wait(for: messageID, after: version, timeout: .seconds(1))
                    }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }
}
