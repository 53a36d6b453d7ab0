import Feedback
import Foundation
import PostgresNIO

/// Chats and their message trees, as their owner changes them. Every query names the owner, so
/// someone else's chat is indistinguishable from a missing one.
public struct ChatStore: Sendable {
    let database: Database
    public let limits: ChatLimits

    public init(database: Database, limits: ChatLimits = .default) {
        self.database = database
        self.limits = limits
    }

    /// How a new reply is to be generated; stored with the reply so it can be reproduced.
    public struct ReplyPlan: Sendable {
        public var parametersJSON: String
        public var model: String
        public init(parametersJSON: String, model: String) {
            self.parametersJSON = parametersJSON
            self.model = model
        }
    }

    /// Where the next page of the chat list starts: the oldest chat shown so far.
    public struct Cursor: Sendable, Equatable {
        public var createdAt: Date
        public var id: UUID
        public init(createdAt: Date, id: UUID) {
            self.createdAt = createdAt
            self.id = id
        }
    }

    public func create(userID: UUID, systemPrompt: String? = nil, preset: String = "k50", viaAPI: Bool = false, allowDataUse: Bool = true) async throws -> Chat {
        try await database.withConnection { connection in
            let rows = try await connection.query("""
                INSERT INTO chats AS c (id, user_id, system_prompt, preset, via_api, allow_data_use)
                VALUES (\(UUID()), \(userID), \(systemPrompt), \(preset), \(viaAPI), \(allowDataUse))
                RETURNING \(unescaped: ChatColumns.list)
                """, logger: database.logger)
            for try await row in rows.decode(ChatColumns.Row.self) { return ChatColumns.chat(row) }
            throw ChatFailure.notFound
        }
    }

    public func chat(_ id: UUID, userID: UUID) async throws -> Chat {
        let found = try await first("SELECT \(unescaped: ChatColumns.list) FROM chats c WHERE c.id = \(id) AND c.user_id = \(userID)")
        guard let found else { throw ChatFailure.notFound }
        return found
    }

    /// A chat opened through its share link; nil once the link is revoked.
    public func sharedChat(token: String) async throws -> Chat? {
        try await first("SELECT \(unescaped: ChatColumns.list) FROM chats c WHERE c.share_token = \(token)")
    }

    /// The user's chats, newest first, `limit` at a time; API chats are not listed.
    public func list(userID: UUID, hidden: Bool, before cursor: Cursor?, limit: Int) async throws -> (chats: [Chat], next: Cursor?) {
        let startDate = cursor?.createdAt ?? Date.distantFuture
        let startID = cursor?.id ?? UUID(uuidString: "FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF")!
        let chats = try await database.withConnection { connection in
            var chats: [Chat] = []
            let rows = try await connection.query("""
                SELECT \(unescaped: ChatColumns.list) FROM chats c
                WHERE c.user_id = \(userID) AND NOT c.via_api AND c.hidden = \(hidden)
                  AND (c.created_at, c.id) < (\(startDate), \(startID))
                ORDER BY c.created_at DESC, c.id DESC LIMIT \(limit + 1)
                """, logger: database.logger)
            for try await row in rows.decode(ChatColumns.Row.self) { chats.append(ChatColumns.chat(row)) }
            return chats
        }
        guard chats.count > limit else { return (chats, nil) }
        let shown = Array(chats.prefix(limit))
        return (shown, shown.last.map { Cursor(createdAt: $0.createdAt, id: $0.id) })
    }

    /// Every message of the chat, all branches, oldest first.
    public func messages(chatID: UUID) async throws -> [ChatEntry] {
        try await database.withConnection { connection in
            var entries: [ChatEntry] = []
            let rows = try await connection.query("""
                SELECT \(unescaped: ChatEntryColumns.list) FROM chat_messages m WHERE m.chat_id = \(chatID) ORDER BY m.created_at, m.id
                """, logger: database.logger)
            for try await row in rows.decode(ChatEntryColumns.Row.self) { entries.append(ChatEntryColumns.entry(row)) }
            return entries
        }
    }

    /// One message, if it belongs to the user's chat.
    public func entry(_ id: UUID, chatID: UUID, userID: UUID) async throws -> ChatEntry {
        let found = try await database.withConnection { connection -> ChatEntry? in
            let rows = try await connection.query("""
                SELECT \(unescaped: ChatEntryColumns.list) FROM chat_messages m JOIN chats c ON c.id = m.chat_id
                WHERE m.id = \(id) AND m.chat_id = \(chatID) AND c.user_id = \(userID)
                """, logger: database.logger)
            for try await row in rows.decode(ChatEntryColumns.Row.self) { return ChatEntryColumns.entry(row) }
            return nil
        }
        guard let found else { throw ChatFailure.notFound }
        return found
    }

    /// A message by id alone, for readers that already proved access (share links, streams).
    public func entry(_ id: UUID) async throws -> ChatEntry? {
        try await database.withConnection { connection in
            let rows = try await connection.query("SELECT \(unescaped: ChatEntryColumns.list) FROM chat_messages m WHERE m.id = \(id)", logger: database.logger)
            for try await row in rows.decode(ChatEntryColumns.Row.self) { return ChatEntryColumns.entry(row) }
            return nil
        }
    }

    public struct Settings: Sendable {
        public var title: String?
        public var hidden: Bool?
        public var allowDataUse: Bool?
        /// An empty string clears the system prompt.
        public var systemPrompt: String?
        public var preset: String?
        public init(title: String? = nil, hidden: Bool? = nil, allowDataUse: Bool? = nil, systemPrompt: String? = nil, preset: String? = nil) {
            self.title = title
            self.hidden = hidden
            self.allowDataUse = allowDataUse
            self.systemPrompt = systemPrompt
            self.preset = preset
        }
    }

    /// Applies the fields that are set; a title is cut to the rules' length.
    public func update(_ chatID: UUID, userID: UUID, _ settings: Settings) async throws {
        let title = settings.title.map { ChatRules.title(from: $0, limits: limits) }
        let changed = try await execute("""
            UPDATE chats SET
              title = CASE WHEN \(title)::text IS NULL THEN title ELSE nullif(\(title)::text, '') END,
              hidden = coalesce(\(settings.hidden)::boolean, hidden),
              allow_data_use = coalesce(\(settings.allowDataUse)::boolean, allow_data_use),
              system_prompt = CASE WHEN \(settings.systemPrompt)::text IS NULL THEN system_prompt
                                   ELSE nullif(\(settings.systemPrompt)::text, '') END,
              preset = coalesce(\(settings.preset)::text, preset)
            WHERE id = \(chatID) AND user_id = \(userID) RETURNING 1
            """)
        guard changed else { throw ChatFailure.notFound }
    }

    /// Hides every visible chat of the user (the original's `hide_all`, which never worked).
    public func hideAll(userID: UUID) async throws {
        _ = try await execute("UPDATE chats SET hidden = true WHERE user_id = \(userID) AND NOT hidden AND NOT via_api RETURNING 1")
    }

    /// Remembers the branch on screen, so the chat reopens where the user left it.
    public func setActiveLeaf(_ chatID: UUID, userID: UUID, leaf: UUID) async throws {
        _ = try await execute("""
            UPDATE chats SET active_leaf_id = \(leaf)
            WHERE id = \(chatID) AND user_id = \(userID) AND EXISTS (SELECT 1 FROM chat_messages WHERE id = \(leaf) AND chat_id = \(chatID)) RETURNING 1
            """)
    }

    /// Deletes the chat with its messages, events, votes, reports and comparisons.
    public func delete(_ chatID: UUID, userID: UUID) async throws {
        guard try await execute("DELETE FROM chats WHERE id = \(chatID) AND user_id = \(userID) RETURNING 1") else { throw ChatFailure.notFound }
    }

    /// Sets (a new random token) or revokes (nil) the read-only share link.
    public func setShareToken(_ chatID: UUID, userID: UUID, token: String?) async throws {
        guard try await execute("UPDATE chats SET share_token = \(token) WHERE id = \(chatID) AND user_id = \(userID) RETURNING 1") else {
            throw ChatFailure.notFound
        }
    }

    /// Thumbs on a reply: -1, 0 (none) or 1.
    public func vote(_ messageID: UUID, chatID: UUID, userID: UUID, score: Int) async throws {
        guard (-1...1).contains(score) else { throw ChatFailure.invalid("A vote is -1, 0 or 1.") }
        let changed = try await execute("""
            UPDATE chat_messages m SET score = \(score) FROM chats c
            WHERE m.id = \(messageID) AND m.chat_id = \(chatID) AND c.id = m.chat_id AND c.user_id = \(userID) AND m.role = 'assistant'
            RETURNING 1
            """)
        guard changed else { throw ChatFailure.notFound }
    }

    public func report(_ messageID: UUID, chatID: UUID, userID: UUID, reason: String) async throws {
        let changed = try await execute("""
            INSERT INTO chat_reports (id, message_id, user_id, reason)
            SELECT \(UUID()), m.id, \(userID), \(String(reason.prefix(2000)))
            FROM chat_messages m JOIN chats c ON c.id = m.chat_id
            WHERE m.id = \(messageID) AND m.chat_id = \(chatID) AND c.user_id = \(userID) AND m.role = 'assistant'
            RETURNING 1
            """)
        guard changed else { throw ChatFailure.notFound }
    }

    /// How often a reply was reported.
    public func reportCount(_ messageID: UUID) async throws -> Int {
        try await database.withConnection { connection in
            let rows = try await connection.query("SELECT count(*)::int FROM chat_reports WHERE message_id = \(messageID)", logger: database.logger)
            for try await count in rows.decode(Int.self) { return count }
            return 0
        }
    }

    /// The user picked one of several drafts: stored as a comparison (preferred over the others)
    /// and shown from now on.
    public func pickDraft(_ selectedID: UUID, chatID: UUID, userID: UUID) async throws {
        try await database.transaction { connection in
            let rows = try await connection.query("""
                SELECT m.parent_id, m.draft_group FROM chat_messages m JOIN chats c ON c.id = m.chat_id
                WHERE m.id = \(selectedID) AND m.chat_id = \(chatID) AND c.user_id = \(userID) AND m.role = 'assistant'
                """, logger: database.logger)
            var found: (UUID?, UUID?)?
            for try await row in rows.decode((UUID?, UUID?).self) { found = row }
            guard let (parent, group) = found, let parent, let group else { throw ChatFailure.notFound }
            var others: [UUID] = []
            for try await id in try await connection.query("""
                SELECT id FROM chat_messages WHERE draft_group = \(group) AND id <> \(selectedID) ORDER BY created_at
                """, logger: database.logger).decode(UUID.self) { others.append(id) }
            try await connection.query("""
                INSERT INTO chat_comparisons (id, chat_id, user_id, parent_id, selected_id, inferior_ids)
                VALUES (\(UUID()), \(chatID), \(userID), \(parent), \(selectedID), \(others))
                ON CONFLICT (parent_id, user_id, selected_id) DO NOTHING
                """, logger: database.logger)
            try await connection.query("UPDATE chats SET active_leaf_id = \(selectedID) WHERE id = \(chatID)", logger: database.logger)
        }
    }

    /// Comparisons stored from draft picks in a chat, as (selected, inferior) ids.
    public func comparisons(chatID: UUID) async throws -> [(selected: UUID, inferior: [UUID])] {
        try await database.withConnection { connection in
            var out: [(UUID, [UUID])] = []
            for try await row in try await connection.query("""
                SELECT selected_id, inferior_ids FROM chat_comparisons WHERE chat_id = \(chatID) ORDER BY created_at
                """, logger: database.logger).decode((UUID, [UUID]).self) { out.append(row) }
            return out.map { (selected: $0.0, inferior: $0.1) }
        }
    }

    // MARK: - helpers

    private func first(_ query: PostgresQuery) async throws -> Chat? {
        try await database.withConnection { connection in
            for try await row in try await connection.query(query, logger: database.logger).decode(ChatColumns.Row.self) {
                return ChatColumns.chat(row)
            }
            return nil
        }
    }

    /// Runs a change ending in `RETURNING 1` and tells whether it touched a row.
    private func execute(_ query: PostgresQuery) async throws -> Bool {
        try await database.withConnection { connection in
            var touched = false
            for try await _ in try await connection.query(query, logger: database.logger) { touched = true }
            return touched
        }
    }
}
