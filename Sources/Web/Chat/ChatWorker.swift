import Feedback
import Foundation
import Inference
import Logging
import NIOConcurrencyHelpers
import ServiceLifecycle
import Storage

/// Takes pending replies from the Postgres queue and writes them with the shared inference module.
/// It claims only as many as the generator runs at once, so the rest keep their place in the queue
/// (and their position on screen). Text goes to the event log as it comes; a stream that disconnects
/// changes nothing here: only the user's stop, the timeout or a shutdown end a reply early.
public final class ChatWorker: Service, Sendable {
    let queue: ChatQueue
    let generator: any TextGenerator
    let signals: ChatSignals
    let capacity: Int
    let logger: Logger
    private let running = NIOLockedValueBox([UUID: RunningReply]())

    /// What the ticker needs to stop a running reply from outside its task.
    private final class RunningReply: Sendable {
        let task: NIOLockedValueBox<Task<Void, Never>?> = .init(nil)
        let stopReason = NIOLockedValueBox<ChatReplyState?>(nil)
        let deadline: ContinuousClock.Instant
        init(deadline: ContinuousClock.Instant) { self.deadline = deadline }

        func stop(as state: ChatReplyState) {
            stopReason.withLockedValue { if $0 == nil { $0 = state } }
            task.withLockedValue { $0?.cancel() }
        }
    }

    public init(queue: ChatQueue, generator: any TextGenerator, signals: ChatSignals, capacity: Int, logger: Logger) {
        self.queue = queue
        self.generator = generator
        self.signals = signals
        self.capacity = max(1, capacity)
        self.logger = logger
    }

    public func run() async throws {
        let started = Date()
        try await queue.heartbeat()
        let recovered = try await queue.recoverAfterRestart(startedAt: started)
        if recovered > 0 { logger.notice("marked \(recovered) chat replies from before the restart as interrupted") }
        try await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await self.tick() }
                await self.claimLoop(group: &group)
                group.cancelAll()
            }
        }
        await interruptRunning()
    }

    private func claimLoop(group: inout TaskGroup<Void>) async {
        while !Task.isCancelled {
            let version = signals.version(of: ChatSignals.work)
            let free = capacity - running.withLockedValue { $0.count }
            if free > 0 {
                do {
                    for reply in try await queue.claim(limit: free) {
                        let handle = RunningReply(deadline: .now + .seconds(queue.limits.generationTimeoutSeconds))
                        running.withLockedValue { $0[reply.id] = handle }
                        group.addTask {
                            let task = Task { await self.generate(reply, handle: handle) }
                            handle.task.withLockedValue { $0 = task }
                            await task.value
                            self.running.withLockedValue { $0[reply.id] = nil }
                            self.signals.signal(ChatSignals.work)
                        }
                    }
                } catch is CancellationError {
                    break
                } catch {
                    logger.error("claiming chat replies failed: \(String(reflecting: error))")
                }
            }
            await signals.wait(for: ChatSignals.work, after: version, timeout: .milliseconds(500))
        }
    }

    /// Heartbeat, stop requests, timeouts and the sweep of replies abandoned by dead workers.
    private func tick() async {
        while !Task.isCancelled {
            try? await Task.sleep(for: .seconds(1))
            let replies = running.withLockedValue { $0 }
            for (id, handle) in replies {
                if ContinuousClock.now > handle.deadline { handle.stop(as: .timeout); continue }
                if (try? await queue.stopRequested(id)) == true { handle.stop(as: .cancelled) }
            }
            do {
                try await queue.heartbeat()
                try await queue.sweep()
            } catch is CancellationError {
                return
            } catch {
                logger.warning("chat queue upkeep failed: \(String(reflecting: error))")
            }
        }
    }

    private func interruptRunning() async {
        let replies = running.withLockedValue { $0 }
        for (_, handle) in replies { handle.stop(as: .interrupted) }
    }

    private func generate(_ reply: ChatQueue.ClaimedReply, handle: RunningReply) async {
        let parameters = ReplyParameters.decode(reply.parametersJSON)
        var messages: [ChatMessage] = []
        if let system = parameters.systemPrompt, !system.isEmpty { messages.append(.system(system)) }
        for turn in reply.thread {
            messages.append(turn.role == .prompter ? .user(turn.content) : .assistant(turn.content))
        }
        if reply.continuing { messages.append(.assistant(reply.existingText)) }
        let queueSeconds = Date().timeIntervalSince(reply.queuedAt)
        var outcome = ChatQueue.Outcome(state: .complete, model: generator.modelName, queueSeconds: queueSeconds)
        var buffered = ""
        var lastFlush = ContinuousClock.now
        var wroteText = false
        do {
            for attempt in 1...max(1, queue.limits.emptyReplyAttempts) {
                var sampling = parameters.sampling
                if attempt > 1, let seed = outcome.seed { sampling.seed = seed &+ 1 }
                for try await event in generator.generate(.chat(messages, parameters: sampling)) {
                    switch event {
                    case .queued: break
                    case .started(let promptTokens, let seed):
                        outcome.promptTokens = promptTokens
                        outcome.seed = seed
                    case .token(let text, _):
                        wroteText = true
                        buffered += text
                        // Batching the writes a little keeps the database calm at many streams; 30 ms is below what a reader notices.
                        if ContinuousClock.now - lastFlush >= .milliseconds(30) {
                            try await flush(&buffered, reply: reply, handle: handle)
                            lastFlush = .now
                        }
                    case .finished(let reason, let usage):
                        outcome.finishReason = reason.rawValue
                        outcome.completionTokens = usage.completionTokens
                        outcome.promptSeconds = usage.promptSeconds
                        outcome.generationSeconds = usage.generationSeconds
                        if reason == .cancelled { outcome.state = handle.stopReason.withLockedValue { $0 } ?? .cancelled }
                    }
                    if Task.isCancelled { break }
                }
                if Task.isCancelled || handle.stopReason.withLockedValue({ $0 }) != nil {
                    outcome.state = handle.stopReason.withLockedValue { $0 } ?? .interrupted
                    outcome.finishReason = "cancelled"
                    break
                }
                // Nothing was streamed yet, so asking again is invisible to the reader.
                guard !wroteText, !reply.continuing, outcome.finishReason == FinishReason.stop.rawValue else { break }
                logger.debug("chat reply \(reply.id) ended before its first word; attempt \(attempt + 1)")
            }
        } catch is CancellationError {
            outcome.state = handle.stopReason.withLockedValue { $0 } ?? .interrupted
            outcome.finishReason = "cancelled"
        } catch let error as GenerationError {
            outcome.state = .failed
            outcome.error = error.description
        } catch {
            outcome.state = .failed
            outcome.error = "The reply could not be written."
            logger.error("chat reply \(reply.id) failed: \(String(reflecting: error))")
        }
        if outcome.state == .timeout { outcome.error = "The reply took too long and was stopped." }
        if outcome.state == .interrupted { outcome.error = "The server stopped while this reply was being written. Retry to get a new one." }
        // A stopped reply runs in a cancelled task; its ending is recorded outside that cancellation.
        let remainder = buffered, final = outcome
        await Task {
            do {
                if !remainder.isEmpty { _ = try await queue.append(remainder, to: reply.id) }
                try await queue.finish(reply.id, final)
            } catch {
                logger.error("could not record the end of chat reply \(reply.id): \(String(reflecting: error))")
            }
        }.value
        signals.signal(reply.id)
    }

    private func flush(_ buffered: inout String, reply: ChatQueue.ClaimedReply, handle: RunningReply) async throws {
        guard !buffered.isEmpty else { return }
        let text = buffered
        buffered = ""
        let stopRequested = try await queue.append(text, to: reply.id)
        signals.signal(reply.id)
        if stopRequested { handle.stop(as: .cancelled) }
    }
}
