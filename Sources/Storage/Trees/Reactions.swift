import Feedback
import Foundation
import PostgresNIO

/// Thumbs, reports and skip markers on messages. Emoji counts are kept denormalised on the message
/// (`messages.emojis`) because every tree read needs them and the rules count red flags and skips.
public struct Reactions: Sendable {
    let database: Database
    let trees: TreeStore
    let config: TreeManagerConfiguration

    public init(database: Database, config: TreeManagerConfiguration = .default) {
        self.database = database
        self.trees = TreeStore(database: database)
        self.config = config
    }

    /// Toggles thumbs up or down (they exclude each other; your own messages take none).
    public func toggle(_ emoji: EmojiCode, messageID: UUID, userID: UUID) async throws {
        try await database.transaction { connection in
            guard try await trees.lockTree(containing: messageID, on: connection) != nil,
                  let (authorID, _) = try await owner(of: messageID, on: connection) else { throw TaskFailure.notFound }
            var current = Set<EmojiCode>()
            for try await code in try await connection.query("""
                SELECT emoji FROM message_emojis WHERE message_id = \(messageID) AND user_id = \(userID)
                """, logger: database.logger).decode(String.self) {
                if let emoji = EmojiCode(rawValue: code) { current.insert(emoji) }
            }
            let next = EmojiRules.apply(.toggle, emoji, to: current, isOwnMessage: authorID == userID)
            for removed in current.subtracting(next) {
                try await Self.remove(removed, messageID: messageID, userID: userID, on: connection, logger: database.logger)
            }
            for added in next.subtracting(current) {
                try await Self.add(added, messageID: messageID, userID: userID, on: connection, logger: database.logger)
            }
        }
    }

    /// A report: a red flag, a place in the moderators' queue, and auto-moderation on the tree.
    public func report(messageID: UUID, userID: UUID, reason: String) async throws {
        try await database.transaction { connection in
            guard let (_, treeID) = try await owner(of: messageID, on: connection) else { throw TaskFailure.notFound }
            _ = try await trees.lockedSnapshot(treeID, on: connection)
            try await Self.add(.redFlag, messageID: messageID, userID: userID, on: connection, logger: database.logger)
            try await connection.query("""
                INSERT INTO labels (id, message_id, user_id, kind, "values", text)
                VALUES (\(UUID()), \(messageID), \(userID), 'report', '{}'::jsonb, \(String(reason.prefix(2000))))
                """, logger: database.logger)
            try await connection.query("""
                INSERT INTO flagged_messages (message_id, reason, reported_by) VALUES (\(messageID), \(String(reason.prefix(2000))), \(userID))
                ON CONFLICT (message_id) DO UPDATE SET processed = false, created_at = least(flagged_messages.created_at, now())
                """, logger: database.logger)
            try await Journal.record(action: "reported", userID: userID, messageID: messageID, treeID: treeID, on: connection, logger: database.logger)
            try await moderateAutomatically(treeID, on: connection)
        }
    }

    /// Applies Open Assistant's automatic moderation to a locked tree: enough red flags delete a
    /// reply's subtree or abort the tree; enough reply skips halt it.
    func moderateAutomatically(_ treeID: UUID, on connection: PostgresConnection) async throws {
        guard let tree = try await trees.lockedSnapshot(treeID, on: connection) else { return }
        for action in AutoModeration.actions(for: tree, config) {
            switch action {
            case .abortTree:
                try await trees.apply(TreeTransitions.abort(tree), to: tree, actor: nil, config: config, on: connection)
                try await flagForReview(treeID, reason: "tree aborted automatically after red flags on its prompt", on: connection)
            case .haltTree:
                try await trees.apply(TreeTransitions.halt(tree), to: tree, actor: nil, config: config, on: connection)
            case .deleteSubtree(let messageID):
                let ids = AutoModeration.subtree(of: messageID, in: tree)
                try await connection.query("UPDATE messages SET deleted = true WHERE id = ANY(\(ids))", logger: database.logger)
                try await Journal.record(action: "auto_deleted", userID: nil, messageID: messageID, treeID: treeID, on: connection, logger: database.logger)
                try await flagForReview(messageID, reason: "deleted automatically after red flags", on: connection)
            }
        }
    }

    /// Automatic decisions go to the moderators' queue too, so a person confirms or undoes them.
    private func flagForReview(_ messageID: UUID, reason: String, on connection: PostgresConnection) async throws {
        try await connection.query("""
            INSERT INTO flagged_messages (message_id, reason) VALUES (\(messageID), \(reason))
            ON CONFLICT (message_id) DO UPDATE SET processed = false, reason = \(reason)
            """, logger: database.logger)
    }

    private func owner(of messageID: UUID, on connection: PostgresConnection) async throws -> (UUID?, UUID)? {
        for try await (author, tree) in try await connection.query("""
            SELECT author_id, tree_id FROM messages WHERE id = \(messageID)
            """, logger: database.logger).decode((UUID?, UUID).self) {
            return (author, tree)
        }
        return nil
    }

    static func add(_ emoji: EmojiCode, messageID: UUID, userID: UUID, on connection: PostgresConnection, logger: Logger) async throws {
        let rows = try await connection.query("""
            INSERT INTO message_emojis (message_id, user_id, emoji) VALUES (\(messageID), \(userID), \(emoji.rawValue))
            ON CONFLICT DO NOTHING RETURNING 1
            """, logger: logger)
        var inserted = false
        for try await _ in rows { inserted = true }
        if inserted {
            try await connection.query("""
                UPDATE messages SET emojis = jsonb_set(emojis, ARRAY[\(emoji.rawValue)], to_jsonb(coalesce((emojis ->> \(emoji.rawValue))::int, 0) + 1))
                WHERE id = \(messageID)
                """, logger: logger)
        }
    }

    static func remove(_ emoji: EmojiCode, messageID: UUID, userID: UUID, on connection: PostgresConnection, logger: Logger) async throws {
        let rows = try await connection.query("""
            DELETE FROM message_emojis WHERE message_id = \(messageID) AND user_id = \(userID) AND emoji = \(emoji.rawValue) RETURNING 1
            """, logger: logger)
        var removed = false
        for try await _ in rows { removed = true }
        if removed {
            try await connection.query("""
                UPDATE messages SET emojis = CASE WHEN coalesce((emojis ->> \(emoji.rawValue))::int, 0) <= 1 THEN emojis - \(emoji.rawValue)
                    ELSE jsonb_set(emojis, ARRAY[\(emoji.rawValue)], to_jsonb((emojis ->> \(emoji.rawValue))::int - 1)) END
                WHERE id = \(messageID)
                """, logger: logger)
        }
    }
}
