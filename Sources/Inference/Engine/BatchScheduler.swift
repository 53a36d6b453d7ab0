import Foundation

/// Continuous batching on one dedicated thread.
///
/// Every step gathers all running sequences (one token each while generating, a chunk of prompt while
/// reading it) into a single `LanguageModel.evaluate` call, so the weights are read once per step however
/// many people are chatting. New requests join between steps; cancelled ones leave between steps.
/// The model runs on this thread, never on Swift's cooperative pool, so it cannot starve async code.
final class BatchScheduler: @unchecked Sendable {
    let model: any BatchModel
    let configuration: EngineConfiguration
    let defaultFormat: ChatFormat
    /// Most tokens one sequence may hold.
    let sequenceLimit: Int
    let bytesPerToken: Int

    // Guarded by `condition`.
    private let condition = NSCondition()
    private var waiting: [GenerationJob] = []
    private var runningCount = 0
    private var runningBytes = 0
    private var isShutDown = false

    // Engine thread only.
    private var running: [ActiveSequence] = []

    init(model: any BatchModel, configuration: EngineConfiguration) throws {
        self.model = model
        self.configuration = configuration
        self.defaultFormat = configuration.chatFormat ?? ChatFormat.detect(architecture: model.architecture, chatTemplate: model.chatTemplate) { model.tokenizer.token(named: $0) != nil }
        self.bytesPerToken = try model.makeSequence(capacity: 1).memoryBytes
        let budgetTokens = configuration.kvCacheBytes / max(1, bytesPerToken)
        self.sequenceLimit = min(configuration.contextLength ?? model.contextLength, model.contextLength, budgetTokens)
        guard sequenceLimit >= 2 else {
            throw GenerationError.invalidParameters("the KV cache budget of \(configuration.kvCacheBytes) bytes holds no sequence (\(bytesPerToken) bytes per token)")
        }
        guard configuration.maxConcurrent >= 1, configuration.prefillChunk >= 1, configuration.maxQueued >= 0 else {
            throw GenerationError.invalidParameters("maxConcurrent and prefillChunk must be positive, maxQueued not negative")
        }
    }

    // MARK: - Called from any thread

    /// Queues a job, or finishes it at once with `.busy` when the queue is full.
    func submit(_ job: GenerationJob) {
        condition.lock()
        defer { condition.unlock() }
        if isShutDown {
            job.continuation.finish(throwing: GenerationError.shutDown)
            return
        }
        let freeSlots = max(0, configuration.maxConcurrent - runningCount)
        let ahead = waiting.count - freeSlots
        if ahead >= configuration.maxQueued {
            job.continuation.finish(throwing: GenerationError.busy(queued: waiting.count))
            return
        }
        waiting.append(job)
        reportPositions()
        condition.signal()
    }

    /// The consumer went away: a waiting job leaves the queue now, a running one at the next step.
    func cancel(_ job: GenerationJob) {
        condition.lock()
        defer { condition.unlock() }
        job.isCancelled = true
        if let i = waiting.firstIndex(where: { $0 === job }) {
            waiting.remove(at: i)
            reportPositions()
        }
        condition.signal()
    }

    func shutDown() {
        condition.lock()
        isShutDown = true
        condition.signal()
        condition.unlock()
    }

    var status: EngineStatus {
        condition.lock()
        defer { condition.unlock() }
        return EngineStatus(running: runningCount, queued: waiting.count, kvCacheBytes: runningBytes)
    }

    /// Tells each waiting job its place when it changed. Jobs about to take a free slot are not
    /// "queued"; once the engine has admitted what fits, `freeSlots` is 0 and everyone left waits.
    private func reportPositions(freeSlots: Int? = nil) {
        let freeSlots = freeSlots ?? max(0, configuration.maxConcurrent - runningCount)
        for (i, job) in waiting.enumerated() {
            let position = i + 1 - freeSlots
            if position > 0 && position != job.reportedPosition {
                job.reportedPosition = position
                job.continuation.yield(.queued(position: position))
            }
        }
    }

    // MARK: - The engine thread

    func run() {
        while true {
            guard let (admitted, cancelled) = waitForWork() else { break }
            for s in cancelled { s.finish(.cancelled) }
            for job in admitted { start(job) }
            step()
        }
        // Shut down: nobody will be served any more.
        for s in running { s.job.continuation.finish(throwing: GenerationError.shutDown) }
        running.removeAll()
        condition.lock()
        let left = waiting
        waiting.removeAll()
        runningCount = 0
        condition.unlock()
        for job in left { job.continuation.finish(throwing: GenerationError.shutDown) }
    }

    /// Drops cancelled sequences (returned, to be finished outside the lock), blocks while there is
    /// nothing to do, and takes the waiting jobs that fit (first come, first served). Nil once shut down.
    private func waitForWork() -> ([GenerationJob], [ActiveSequence])? {
        condition.lock()
        defer { condition.unlock() }
        while true {
            if isShutDown { return nil }
            let cancelled = running.filter { $0.job.isCancelled }
            if !cancelled.isEmpty {
                running.removeAll { $0.job.isCancelled }
                for s in cancelled { runningBytes -= s.sequence.memoryBytes }
                runningCount = running.count
            }
            var admitted: [GenerationJob] = []
            while let job = waiting.first, runningCount + admitted.count < configuration.maxConcurrent {
                // The exact cache size is known only once the prompt is tokenized (in `start`, outside
                // the lock); until then an upper bound is reserved, and corrected there.
                let worst = min(sequenceLimit, estimatedTokens(job)) * bytesPerToken
                let empty = runningCount + admitted.count == 0
                guard empty || runningBytes + worst <= configuration.kvCacheBytes else { break }
                waiting.removeFirst()
                admitted.append(job)
                runningBytes += worst
            }
            runningCount += admitted.count
            reportPositions(freeSlots: 0)
            if !admitted.isEmpty { return (admitted, cancelled) }
            if !running.isEmpty || !cancelled.isEmpty { return ([], cancelled) }
            condition.wait()
        }
    }

    /// An upper bound of a job's tokens before it is tokenized (bytes of text bound its token count).
    private func estimatedTokens(_ job: GenerationJob) -> Int {
        let p = job.request.parameters.maxNewTokens
        switch job.request.input {
        case .tokens(let t): return t.count + p
        case .text(let s): return s.utf8.count + 2 + p
        case .chat(let m): return m.reduce(64) { $0 + $1.content.utf8.count + 16 } + p
        }
    }

    /// Tokenizes a job's prompt and gives it a KV cache, or fails it with a clear error.
    private func start(_ job: GenerationJob) {
        let reserved = min(sequenceLimit, estimatedTokens(job)) * bytesPerToken
        do {
            let prompt = try PreparedPrompt(job.request, tokenizer: model.tokenizer, defaultFormat: defaultFormat, limit: sequenceLimit)
            let sequence = try model.makeSequence(capacity: prompt.capacity)
            let active = ActiveSequence(job: job, prompt: prompt, sequence: sequence, tokenizer: model.tokenizer)
            condition.lock()
            runningBytes += sequence.memoryBytes - reserved
            condition.unlock()
            running.append(active)
            job.continuation.yield(.started(promptTokens: prompt.tokens.count, seed: active.sampler.seed))
        } catch {
            condition.lock()
            runningBytes -= reserved
            runningCount -= 1
            reportPositions()
            condition.unlock()
            job.continuation.finish(throwing: error)
        }
    }

    /// One step: a batched call for every generating sequence's last token, then one for prompt chunks.
    ///
    /// Decode tokens and prompt chunks never share a call, and a prompt is always cut into chunks of the
    /// same size: the model picks its kernels by the shape of an item (float or panel kernels for
    /// prompt chunks, 8-bit integer dots for single tokens), so mixing them, or cutting a prompt
    /// differently in company, would make a reply depend on who else is chatting. This way greedy
    /// output is the same alone or in company, and people arriving together have their prompts read
    /// in one pass over the weights.
    private func step() {
        guard !running.isEmpty else { return }
        var done: [ActiveSequence] = []
        var failed: [ActiveSequence] = []

        let decoding = running.filter { !$0.isReadingPrompt }
        if !decoding.isEmpty {
            do {
                // Sampling reads every logit of every sequence (a quarter of a million each for Gemma): each
                // sequence samples on the model's thread that made its logits, as soon as they are made, then
                // the sequences stream their text in order.
                var tokens = [Int32](repeating: 0, count: decoding.count)
                try tokens.withUnsafeMutableBufferPointer { tokens in
                    let sampled = tokens.baseAddress!
                    _ = try model.evaluate(decoding.map { (sequence: $0.sequence, tokens: $0.pending) }) { i, logits in
                        sampled[i] = decoding[i].sample(logits)
                    }
                }
                for (s, token) in zip(decoding, tokens) {
                    s.pending.removeAll()
                    if let reason = s.advance(with: token) { s.finish(reason); done.append(s) }
                }
            } catch {
                for s in decoding { s.job.continuation.finish(throwing: GenerationError.modelFailure("\(error)")) }
                failed += decoding
            }
        }

        var budget = configuration.prefillChunk
        var reading: [(sequence: ActiveSequence, count: Int)] = []
        for s in running where s.isReadingPrompt {
            let n = min(s.pending.count, configuration.prefillChunk)
            // Whole chunks only (see above); the first prompt in line always gets one.
            guard n <= budget || budget == configuration.prefillChunk else { break }
            budget -= n
            reading.append((s, n))
            if budget <= 0 { break }
        }
        if !reading.isEmpty {
            do {
                let logits = try model.evaluate(reading.map { (sequence: $0.sequence.sequence, tokens: Array($0.sequence.pending.prefix($0.count))) })
                for ((s, n), logits) in zip(reading, logits) {
                    s.pending.removeFirst(n)
                    if s.pending.isEmpty, let reason = s.advance(logits: logits) { s.finish(reason); done.append(s) }
                }
            } catch {
                for (s, _) in reading { s.job.continuation.finish(throwing: GenerationError.modelFailure("\(error)")) }
                failed += reading.map(\.sequence)
            }
        }
        if !done.isEmpty || !failed.isEmpty { remove(done + failed) }
    }

    private func remove(_ finished: [ActiveSequence]) {
        let ids = Set(finished.map { ObjectIdentifier($0) })
        running.removeAll { ids.contains(ObjectIdentifier($0)) }
        condition.lock()
        for s in finished { runningBytes -= s.sequence.memoryBytes }
        runningCount = running.count
        reportPositions()
        condition.unlock()
    }
}
