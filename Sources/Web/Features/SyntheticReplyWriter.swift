import Feedback
import Foundation
import Inference
import Logging
import ServiceLifecycle
import Storage

/// The background job that writes assistant replies with a model, so ranking tasks mix human and model replies.
///
/// Every few seconds it asks the desk for prompts that need a model reply, within the budget of the policy, and
/// generates each in a child task. Generation holds no lock and no database connection; only the final insert
/// runs in a short transaction that checks the rules again, so contributors are never kept waiting by the model.
public struct SyntheticReplyWriter: Service {
    let desk: TaskDesk
    let trees: TreeStore
    let generator: any TextGenerator
    let policy: SyntheticReplyPolicy
    let parameters: SamplingParameters
    let interval: Duration
    let logger: Logger

    public init(
        database: Database, generator: any TextGenerator, policy: SyntheticReplyPolicy,
        parameters: SamplingParameters = SyntheticReplyWriter.defaultParameters, interval: Duration = .seconds(10), logger: Logger
    ) {
        self.desk = TaskDesk(database: database)
        self.trees = TreeStore(database: database)
        self.generator = generator
        self.policy = policy
        self.parameters = parameters
        self.interval = interval
        self.logger = logger
    }

    /// Open Assistant's "k50" preset, a little shorter than a chat reply: replies to rank should be readable.
    public static let defaultParameters = SamplingParameters(maxNewTokens: 384, temperature: 0.75, topK: 50, topP: 0.95, repetitionPenalty: 1.2)

    public func run() async throws {
        guard policy.isEnabled else { return }
        logger.info("model-written replies: \(policy.repliesPerPrompt) per prompt with \(generator.modelName), at most \(policy.maxRepliesPerHour) an hour")
        try await cancelWhenGracefulShutdown {
            let running = RunningGenerations()
            await withDiscardingTaskGroup { group in
                // Waiting first lets the server (and its database pool) start before the first pass.
                while (try? await Task.sleep(for: interval)) != nil {
                    do {
                        for target in try await startable(excluding: await running.parents) {
                            await running.insert(target.parentID)
                            group.addTask {
                                await writeLogged(target)
                                await running.remove(target.parentID)
                            }
                        }
                    } catch {
                        logger.warning("model-written replies: finding prompts failed: \(error)")
                    }
                }
            }
        }
    }

    /// Prompts to start generating for now, within the budget, leaving out those already in progress.
    public func startable(excluding running: Set<UUID> = []) async throws -> [SyntheticReplyTarget] {
        let written = try await desk.modelRepliesWritten(since: Date().addingTimeInterval(-3600))
        let count = SyntheticReplyRules.generationsToStart(writtenInLastHour: written, running: running.count, policy)
        return try await desk.modelReplyTargets(policy, limit: count, excluding: running)
    }

    /// Generates one reply to the conversation ending at the target and stores it; nil when the rules refused it
    /// by the time it was ready.
    public func write(_ target: SyntheticReplyTarget) async throws -> UUID? {
        let conversation = try await trees.conversation(endingAt: target.parentID).map {
            $0.role == .assistant ? ChatMessage.assistant($0.text) : ChatMessage.user($0.text)
        }
        for attempt in 0..<SyntheticReplyRules.attemptsPerReply {
            var parameters = parameters
            // A seeded job stays reproducible, yet each attempt samples differently.
            parameters.seed = parameters.seed.map { $0 &+ UInt64(attempt) }
            let result = try await generator.complete(.chat(conversation, parameters: parameters))
            guard result.reason != .cancelled else { return nil }
            guard case .success = TextReplyValidation.validate(result.text, now: Date(), desk.limits) else {
                logger.debug("model reply under \(target.parentID) was unusable (\(result.text.count) characters); attempt \(attempt + 1)")
                continue
            }
            return try await desk.submitModelReply(to: target, text: result.text, modelName: generator.modelName, policy)
        }
        return nil
    }

    /// Starts and finishes generations until the budget or the prompts run out; the ids written. A test (or a
    /// command) gets the job's whole effect at once this way.
    public func writeAvailable() async throws -> [UUID] {
        var written: [UUID] = []
        while true {
            let targets = try await startable()
            if targets.isEmpty { return written }
            let ids = try await withThrowingTaskGroup(of: UUID?.self) { group in
                for target in targets { group.addTask { try await write(target) } }
                return try await group.reduce(into: [UUID]()) { if let id = $1 { $0.append(id) } }
            }
            // Nothing stored means every target was refused on its re-check: stop instead of generating forever.
            if ids.isEmpty { return written }
            written += ids
        }
    }

    private func writeLogged(_ target: SyntheticReplyTarget) async {
        logger.debug("writing a model reply under \(target.parentID)")
        do {
            if let id = try await write(target) {
                logger.info("model-written reply \(id) under \(target.parentID)")
            }
        } catch {
            logger.warning("model-written reply under \(target.parentID) failed: \(error)")
        }
    }
}

/// Parents whose model reply is being generated in this process.
private actor RunningGenerations {
    private(set) var parents: Set<UUID> = []
    func insert(_ id: UUID) { parents.insert(id) }
    func remove(_ id: UUID) { parents.remove(id) }
}
