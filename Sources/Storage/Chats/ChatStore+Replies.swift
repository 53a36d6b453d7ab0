import Feedback
import Foundation
import PostgresNIO

/// Asking for replies: each creates pending assistant messages, which are the work queue. The user's
/// advisory lock makes "one reply at a time" hold even when two tabs send at once.
extension ChatStore {
    /// Adds the user's message under `parentID` (nil starts the chat, or edits its first message) and
    /// queues the assistant's reply. Returns the ids of both.
    public func send(_ text: String, chatID: UUID, userID: UUID, parentID: UUID?, plan: ReplyPlan) async throws -> (message: UUID, reply: UUID) {
        let content: String
        switch ChatRules.validatedMessage(text, limits: limits) {
        case .success(let valid): content = valid
        case .failure(let refusal): throw refusal
        }
        return try await database.transaction { connection in
            try await admit(userID: userID, chatID: chatID, on: connection)
            if let parentID {
                let rows = try await connection.query("""
                    SELECT role, state FROM chat_messages WHERE id = \(parentID) AND chat_id = \(chatID)
                    """, logger: database.logger)
                var parent: (String, String)?
                for try await row in rows.decode((String, String).self) { parent = row }
                guard let (role, state) = parent, role == "assistant" else { throw ChatFailure.notFound }
                guard let replyState = ChatReplyState(rawValue: state), !replyState.isActive else { throw ChatRules.Refusal.parentNotReady }
            }
            let messageID = UUID()
            let replyID = UUID()
            try await connection.query("""
                INSERT INTO chat_messages (id, chat_id, parent_id, role, content, state)
                VALUES (\(messageID), \(chatID), \(parentID), 'prompter', \(content), 'manual')
                """, logger: database.logger)
            try await enqueue([replyID], parent: messageID, chatID: chatID, plan: plan, draftGroup: nil, on: connection)
            let title = ChatRules.title(from: content, limits: limits)
            try await connection.query("""
                UPDATE chats SET modified_at = now(), active_leaf_id = \(replyID), title = coalesce(title, \(title)) WHERE id = \(chatID)
                """, logger: database.logger)
            return (messageID, replyID)
        }
    }

    /// A whole conversation sent at once (the OpenAI-compatible API): stored as a chat of its own, out
    /// of the chat list and out of exports, with the reply to its last message queued.
    public func startConversation(
        userID: UUID, systemPrompt: String?, turns: [(role: ChatEntry.Role, content: String)], plan: ReplyPlan
    ) async throws -> (chat: UUID, reply: UUID) {
        guard let last = turns.last, last.role == .prompter else { throw ChatFailure.invalid("The last message must be the user's.") }
        for turn in turns where turn.content.count > limits.maxMessageLength {
            throw ChatRules.Refusal.messageTooLong(limit: limits.maxMessageLength)
        }
        let chatID = UUID()
        return try await database.transaction { connection in
            try await connection.query("""
                INSERT INTO chats (id, user_id, system_prompt, via_api, allow_data_use, title)
                VALUES (\(chatID), \(userID), \(systemPrompt), true, false, \(ChatRules.title(from: last.content, limits: limits)))
                """, logger: database.logger)
            try await admit(userID: userID, chatID: chatID, on: connection)
            var parent: UUID?
            for turn in turns {
                let id = UUID()
                try await connection.query("""
                    INSERT INTO chat_messages (id, chat_id, parent_id, role, content, state, created_at)
                    VALUES (\(id), \(chatID), \(parent), \(turn.role.rawValue), \(turn.content),
                            \(turn.role == .prompter ? "manual" : "complete"), clock_timestamp())
                    """, logger: database.logger)
                parent = id
            }
            let replyID = UUID()
            try await enqueue([replyID], parent: parent!, chatID: chatID, plan: plan, draftGroup: nil, on: connection)
            return (chatID, replyID)
        }
    }

    /// Another reply to the user's message `prompterID`: a new branch. With `drafts` > 1 the replies
    /// are generated side by side for the user to pick from.
    public func retry(_ prompterID: UUID, chatID: UUID, userID: UUID, drafts: Int = 1, plan: ReplyPlan) async throws -> [UUID] {
        guard drafts == 1 || limits.draftChoices.contains(drafts) else { throw ChatRules.Refusal.invalidDraftCount(limits.draftChoices) }
        return try await database.transaction { connection in
            try await admit(userID: userID, chatID: chatID, on: connection)
            var isPrompter = false
            for try await role in try await connection.query("""
                SELECT role FROM chat_messages WHERE id = \(prompterID) AND chat_id = \(chatID)
                """, logger: database.logger).decode(String.self) { isPrompter = role == "prompter" }
            guard isPrompter else { throw ChatFailure.notFound }
            let ids = (0..<drafts).map { _ in UUID() }
            try await enqueue(ids, parent: prompterID, chatID: chatID, plan: plan, draftGroup: drafts > 1 ? UUID() : nil, on: connection)
            try await connection.query("UPDATE chats SET modified_at = now(), active_leaf_id = \(ids[0]) WHERE id = \(chatID)", logger: database.logger)
            return ids
        }
    }

    /// Puts a reply cut off at the length limit back in the queue; the model goes on where it stopped
    /// and the new text is appended to the same message.
    public func continueReply(_ messageID: UUID, chatID: UUID, userID: UUID) async throws {
        try await database.transaction { connection in
            try await admit(userID: userID, chatID: chatID, on: connection)
            var continuable = false
            for try await (state, reason) in try await connection.query("""
                SELECT state, finish_reason FROM chat_messages WHERE id = \(messageID) AND chat_id = \(chatID) AND role = 'assistant'
                FOR UPDATE
                """, logger: database.logger).decode((String, String?).self) {
                continuable = state == ChatReplyState.complete.rawValue && reason == "length"
            }
            guard continuable else { throw ChatRules.Refusal.notContinuable }
            // The old "done" goes, so a stream opened now runs on into the continuation; seqs stay unique.
            try await connection.query("""
                DELETE FROM chat_events WHERE message_id = \(messageID) AND kind = 'done'
                """, logger: database.logger)
            try await connection.query("""
                UPDATE chat_messages SET state = 'pending', continuing = true, finish_reason = NULL, queued_at = now(),
                       cancel_requested = false, worker = NULL
                WHERE id = \(messageID)
                """, logger: database.logger)
            try await Self.announceWork(on: connection, logger: database.logger)
        }
    }

    /// Asks for a reply to stop. A queued reply stops at once; a running one stops at its next token,
    /// keeping what it wrote. Returns false when the reply had already ended.
    @discardableResult
    public func requestStop(_ messageID: UUID, chatID: UUID, userID: UUID) async throws -> Bool {
        _ = try await entry(messageID, chatID: chatID, userID: userID)
        return try await database.transaction { connection in
            var dequeuedSeq: Int?
            for try await seq in try await connection.query("""
                UPDATE chat_messages SET state = 'cancelled', finish_reason = 'cancelled', continuing = false, cancel_requested = true,
                       work_end_at = now(), last_seq = last_seq + 1
                WHERE id = \(messageID) AND state = 'pending' RETURNING last_seq
                """, logger: database.logger).decode(Int.self) { dequeuedSeq = seq }
            var stopped = dequeuedSeq != nil
            if let seq = dequeuedSeq {
                try await connection.query("""
                    INSERT INTO chat_events (message_id, seq, kind, data) VALUES (\(messageID), \(seq), 'done', '{"state":"cancelled"}')
                    """, logger: database.logger)
            } else {
                for try await _ in try await connection.query("""
                    UPDATE chat_messages SET cancel_requested = true WHERE id = \(messageID) AND state = 'in_progress' RETURNING 1
                    """, logger: database.logger) { stopped = true }
            }
            if stopped {
                try await connection.query("SELECT pg_notify('chat_events', \(messageID.uuidString))", logger: database.logger)
            }
            return stopped
        }
    }

    /// Refuses a new reply when the user already has one running or the shared queue is full.
    private func admit(userID: UUID, chatID: UUID, on connection: PostgresConnection) async throws {
        try await connection.query(
            "SELECT pg_advisory_xact_lock(hashtextextended(\("chat-user:" + userID.uuidString), 0))", logger: database.logger
        )
        var owns = false
        for try await _ in try await connection.query("""
            SELECT 1 FROM chats WHERE id = \(chatID) AND user_id = \(userID)
            """, logger: database.logger) { owns = true }
        guard owns else { throw ChatFailure.notFound }
        var active = 0, queued = 0
        for try await (mine, all) in try await connection.query("""
            SELECT (SELECT count(*)::int FROM chat_messages m JOIN chats c ON c.id = m.chat_id
                    WHERE c.user_id = \(userID) AND m.state IN ('pending', 'in_progress')),
                   (SELECT count(*)::int FROM chat_messages WHERE state = 'pending')
            """, logger: database.logger).decode((Int, Int).self) {
            active = mine
            queued = all
        }
        if let refusal = ChatRules.admission(userActiveReplies: active, queued: queued, limits: limits) { throw refusal }
    }

    private func enqueue(_ ids: [UUID], parent: UUID, chatID: UUID, plan: ReplyPlan, draftGroup: UUID?, on connection: PostgresConnection) async throws {
        for id in ids {
            try await connection.query("""
                INSERT INTO chat_messages (id, chat_id, parent_id, role, state, parameters, model, draft_group, queued_at)
                VALUES (\(id), \(chatID), \(parent), 'assistant', 'pending', \(plan.parametersJSON)::jsonb, \(plan.model), \(draftGroup), clock_timestamp())
                """, logger: database.logger)
        }
        try await Self.announceWork(on: connection, logger: database.logger)
    }

    /// Wakes the workers of every process (delivered when the transaction commits).
    static func announceWork(on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query("SELECT pg_notify('chat_events', \(ChatQueue.workChannelKey))", logger: logger)
    }
}
