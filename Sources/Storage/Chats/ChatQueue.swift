import Feedback
import Foundation
import PostgresNIO

/// The inference work queue: pending replies, claimed with `FOR UPDATE SKIP LOCKED` so any number of
/// server processes can share it, and the event log their text goes to. Every append announces itself
/// with `NOTIFY chat_events`, so a stream in any process wakes up.
public struct ChatQueue: Sendable {
    let database: Database
    /// This process, as recorded on the replies it claims.
    public let worker: String
    public let limits: ChatLimits

    /// The `chat_events` payload that means "new work in the queue" rather than a reply's id.
    public static let workChannelKey = "00000000-0000-0000-0000-000000000000"

    public init(database: Database, worker: String, limits: ChatLimits = .default) {
        self.database = database
        self.worker = worker
        self.limits = limits
    }

    /// A reply this process has claimed, with the conversation it answers.
    public struct ClaimedReply: Sendable {
        public var id: UUID
        public var chatID: UUID
        /// The text already written when the reply is being continued, else empty.
        public var existingText: String
        public var continuing: Bool
        public var parametersJSON: String?
        /// The messages from the first one down to the user's message being answered.
        public var thread: [(role: ChatEntry.Role, content: String)]
        public var queuedAt: Date
        var parentID: UUID?
    }

    /// Claims up to `limit` of the oldest pending replies.
    public func claim(limit: Int) async throws -> [ClaimedReply] {
        guard limit > 0 else { return [] }
        return try await database.withConnection { connection in
            var claimed: [ClaimedReply] = []
            for try await (id, chatID, parent, content, continuing, parameters, queuedAt) in try await connection.query("""
                UPDATE chat_messages SET state = 'in_progress', worker = \(worker), heartbeat_at = now(),
                       work_begin_at = coalesce(work_begin_at, now())
                WHERE id IN (
                    SELECT id FROM chat_messages WHERE state = 'pending' ORDER BY queued_at, id LIMIT \(limit) FOR UPDATE SKIP LOCKED
                )
                RETURNING id, chat_id, parent_id, content, continuing, parameters::text, coalesce(queued_at, created_at)
                """, logger: database.logger).decode((UUID, UUID, UUID?, String, Bool, String?, Date).self) {
                claimed.append(ClaimedReply(
                    id: id, chatID: chatID, existingText: continuing ? content : "", continuing: continuing,
                    parametersJSON: parameters, thread: [], queuedAt: queuedAt, parentID: parent
                ))
            }
            claimed.sort { $0.queuedAt < $1.queuedAt }
            for index in claimed.indices {
                guard let parent = claimed[index].parentID else { continue }
                claimed[index].thread = try await thread(endingAt: parent, on: connection)
            }
            return claimed
        }
    }

    private func thread(endingAt id: UUID, on connection: PostgresConnection) async throws -> [(role: ChatEntry.Role, content: String)] {
        var messages: [(role: ChatEntry.Role, content: String)] = []
        for try await (role, content) in try await connection.query("""
            WITH RECURSIVE thread AS (
                SELECT id, parent_id, role, content, 0 AS up FROM chat_messages WHERE id = \(id)
                UNION ALL
                SELECT m.id, m.parent_id, m.role, m.content, t.up + 1 FROM chat_messages m JOIN thread t ON m.id = t.parent_id
            )
            SELECT role, content FROM thread ORDER BY up DESC
            """, logger: database.logger).decode((String, String).self) {
            messages.append((ChatEntry.Role(rawValue: role) ?? .prompter, content))
        }
        return messages
    }

    /// Appends text to a reply and to its event log in one statement. Returns true when the user has
    /// asked the reply to stop.
    public func append(_ delta: String, to id: UUID) async throws -> Bool {
        let data = Self.json(["text": delta])
        return try await database.withConnection { connection in
            var stop = false
            for try await (cancel, _) in try await connection.query("""
                WITH grown AS (
                    UPDATE chat_messages SET content = content || \(delta), last_seq = last_seq + 1, heartbeat_at = now()
                    WHERE id = \(id) RETURNING id, last_seq, cancel_requested
                ), logged AS (
                    INSERT INTO chat_events (message_id, seq, kind, data) SELECT id, last_seq, 'token', \(data) FROM grown RETURNING message_id
                )
                SELECT grown.cancel_requested, pg_notify('chat_events', \(id.uuidString))::text FROM grown
                """, logger: database.logger).decode((Bool, String).self) { stop = cancel }
            return stop
        }
    }

    /// Whether the user asked a running reply to stop (checked while no text flows, e.g. during a long prompt).
    public func stopRequested(_ id: UUID) async throws -> Bool {
        try await database.withConnection { connection in
            for try await cancel in try await connection.query("""
                SELECT cancel_requested FROM chat_messages WHERE id = \(id)
                """, logger: database.logger).decode(Bool.self) { return cancel }
            return true
        }
    }

    /// How a generation ended, with what is kept for reproducing and measuring it.
    public struct Outcome: Sendable {
        public var state: ChatReplyState
        public var finishReason: String?
        public var error: String?
        public var seed: UInt64?
        public var model: String
        public var promptTokens: Int
        public var completionTokens: Int
        public var queueSeconds: Double
        public var promptSeconds: Double
        public var generationSeconds: Double

        public init(
            state: ChatReplyState, finishReason: String? = nil, error: String? = nil, seed: UInt64? = nil, model: String,
            promptTokens: Int = 0, completionTokens: Int = 0, queueSeconds: Double = 0, promptSeconds: Double = 0, generationSeconds: Double = 0
        ) {
            self.state = state
            self.finishReason = finishReason
            self.error = error
            self.seed = seed
            self.model = model
            self.promptTokens = promptTokens
            self.completionTokens = completionTokens
            self.queueSeconds = queueSeconds
            self.promptSeconds = promptSeconds
            self.generationSeconds = generationSeconds
        }
    }

    /// Ends a claimed reply: its state and numbers, and the last event of its log (`done`, or `error`
    /// for a reply that failed).
    public func finish(_ id: UUID, _ outcome: Outcome) async throws {
        let kind = outcome.state == .failed ? "error" : "done"
        var fields = ["state": outcome.state.rawValue]
        if let reason = outcome.finishReason { fields["finish_reason"] = reason }
        if let error = outcome.error { fields["message"] = error }
        let data = Self.json(fields)
        let seed = outcome.seed.map { String($0) }
        try await database.withConnection { connection in
            try await connection.query("""
                WITH ended AS (
                    UPDATE chat_messages SET state = \(outcome.state.rawValue), finish_reason = \(outcome.finishReason),
                           error = \(outcome.error), seed = coalesce(\(seed)::numeric, seed), model = \(outcome.model),
                           prompt_tokens = \(outcome.promptTokens),
                           completion_tokens = CASE WHEN continuing THEN coalesce(completion_tokens, 0) ELSE 0 END + \(outcome.completionTokens),
                           queue_seconds = \(outcome.queueSeconds), prompt_seconds = \(outcome.promptSeconds),
                           generation_seconds = \(outcome.generationSeconds), continuing = false, work_end_at = now(),
                           last_seq = last_seq + 1
                    WHERE id = \(id) AND state = 'in_progress' RETURNING id, last_seq
                ), logged AS (
                    INSERT INTO chat_events (message_id, seq, kind, data) SELECT id, last_seq, \(kind), \(data) FROM ended RETURNING message_id
                )
                SELECT pg_notify('chat_events', \(id.uuidString)) FROM ended
                """, logger: database.logger)
        }
    }

    /// Records that this process is alive; others treat replies of a silent worker as interrupted.
    public func heartbeat() async throws {
        try await database.withConnection { connection in
            try await connection.query("""
                INSERT INTO chat_workers (name) VALUES (\(worker))
                ON CONFLICT (name) DO UPDATE SET heartbeat_at = now()
                """, logger: database.logger)
            try await connection.query("""
                UPDATE chat_messages SET heartbeat_at = now() WHERE worker = \(worker) AND state = 'in_progress'
                """, logger: database.logger)
        }
    }

    /// Run when this process starts: replies its previous life was writing, and replies queued before
    /// the start that no other living worker will take, end as interrupted, so nothing waits forever.
    @discardableResult
    public func recoverAfterRestart(startedAt: Date) async throws -> Int {
        let silence = Double(limits.workerSilenceSeconds)
        let ids = try await ids("""
            SELECT id FROM chat_messages
            WHERE (state = 'in_progress' AND (worker = \(worker) OR worker NOT IN (
                      SELECT name FROM chat_workers WHERE heartbeat_at > now() - make_interval(secs => \(silence)))))
               OR (state = 'pending' AND queued_at < \(startedAt) AND NOT EXISTS (
                      SELECT 1 FROM chat_workers WHERE name <> \(worker) AND heartbeat_at > now() - make_interval(secs => \(silence))))
            """)
        return try await end(ids, as: .interrupted, message: "The server restarted while this reply was being written. Retry to get a new one.")
    }

    /// Run periodically: replies of workers that went silent end as interrupted; replies that waited
    /// longer than the queue timeout end as timed out.
    @discardableResult
    public func sweep() async throws -> Int {
        let silence = Double(limits.workerSilenceSeconds)
        let silent = try await ids("""
            SELECT id FROM chat_messages WHERE state = 'in_progress' AND heartbeat_at < now() - make_interval(secs => \(silence))
            """)
        let waited = Double(limits.queueTimeoutSeconds)
        let stale = try await ids("""
            SELECT id FROM chat_messages WHERE state = 'pending' AND queued_at < now() - make_interval(secs => \(waited))
            """)
        return try await end(silent, as: .interrupted, message: "The server writing this reply stopped. Retry to get a new one.")
            + end(stale, as: .timeout, message: "The assistant was too busy to answer in time. Please retry.")
    }

    private func ids(_ query: PostgresQuery) async throws -> [UUID] {
        try await database.withConnection { connection in
            var ids: [UUID] = []
            for try await id in try await connection.query(query, logger: database.logger).decode(UUID.self) { ids.append(id) }
            return ids
        }
    }

    /// Ends replies that are still queued or running, each with a last `error` event.
    private func end(_ ids: [UUID], as state: ChatReplyState, message: String) async throws -> Int {
        guard !ids.isEmpty else { return 0 }
        let data = Self.json(["state": state.rawValue, "message": message])
        return try await database.withConnection { connection in
            var count = 0
            for try await _ in try await connection.query("""
                WITH ended AS (
                    UPDATE chat_messages SET state = \(state.rawValue), error = \(message), continuing = false,
                           work_end_at = now(), last_seq = last_seq + 1
                    WHERE id = ANY(\(ids)) AND state IN ('pending', 'in_progress') RETURNING id, last_seq
                ), logged AS (
                    INSERT INTO chat_events (message_id, seq, kind, data) SELECT id, last_seq, 'error', \(data) FROM ended RETURNING message_id
                )
                SELECT pg_notify('chat_events', id::text) FROM ended
                """, logger: database.logger) { count += 1 }
            return count
        }
    }

    static func json(_ fields: [String: String]) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}
