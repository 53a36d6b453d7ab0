import Feedback
import Foundation
import PostgresNIO

/// What moderators change in trees: delete and restore subtrees, edit messages (keeping every revision),
/// halt and restart trees. Each change locks the tree row and writes its audit entry in one transaction.
public struct ContentModeration: Sendable {
    let database: Database
    let trees: TreeStore
    let config: TreeManagerConfiguration

    public init(database: Database, config: TreeManagerConfiguration = .default) {
        self.database = database
        self.trees = TreeStore(database: database)
        self.config = config
    }

    public enum Failure: Error, Equatable {
        case notFound
        case unchanged
    }

    public struct Revision: Sendable {
        public var text: String
        public var editorName: String?
        public var createdAt: Date
    }

    /// Soft-deletes the message and everything below it; open flags on them are settled by the deletion.
    /// Returns how many messages were deleted.
    @discardableResult
    public func deleteSubtree(of messageID: UUID, moderator: UUID, reason: String) async throws -> Int {
        try await database.transaction { connection in
            let (tree, ids) = try await lockedSubtree(messageID, on: connection)
            try await connection.query("UPDATE messages SET deleted = true WHERE id = ANY(\(ids))", logger: database.logger)
            try await connection.query("""
                UPDATE flagged_messages SET processed = true, processed_by = \(moderator), processed_at = now()
                WHERE message_id = ANY(\(ids)) AND NOT processed
                """, logger: database.logger)
            try await AuditLog.record(.deleteSubtree, actor: moderator, messageID: messageID, treeID: tree.id, reason: reason,
                                      details: "\(ids.count) messages", on: connection, logger: database.logger)
            return ids.count
        }
    }

    /// Restores the message, everything below it and its ancestors, so the restored part is reachable again.
    @discardableResult
    public func undeleteSubtree(of messageID: UUID, moderator: UUID, reason: String) async throws -> Int {
        try await database.transaction { connection in
            let (tree, subtree) = try await lockedSubtree(messageID, on: connection)
            let ids = Array(Set(subtree + AutoModeration.pathToRoot(of: messageID, in: tree)))
            try await connection.query("UPDATE messages SET deleted = false WHERE id = ANY(\(ids))", logger: database.logger)
            try await AuditLog.record(.undeleteSubtree, actor: moderator, messageID: messageID, treeID: tree.id, reason: reason,
                                      details: "\(ids.count) messages", on: connection, logger: database.logger)
            return ids.count
        }
    }

    /// Replaces a message's text. The original is saved as the first revision before the first edit.
    public func edit(messageID: UUID, text: String, moderator: UUID, reason: String) async throws {
        try await database.transaction { connection in
            // The edit changes the message, which stamps its tree: the tree is taken first, as in every tree transaction.
            _ = try await trees.lockTree(containing: messageID, on: connection)
            var current: String?
            for try await text in try await connection.query(
                "SELECT text FROM messages WHERE id = \(messageID) FOR UPDATE", logger: database.logger
            ).decode(String.self) {
                current = text
            }
            guard let current else { throw Failure.notFound }
            guard current != text else { throw Failure.unchanged }
            try await connection.query("""
                INSERT INTO message_revisions (id, message_id, text, editor_id, created_at)
                SELECT \(UUID()), m.id, m.text, m.author_id, m.created_at FROM messages m
                WHERE m.id = \(messageID) AND NOT EXISTS (SELECT 1 FROM message_revisions r WHERE r.message_id = m.id)
                """, logger: database.logger)
            try await connection.query("""
                INSERT INTO message_revisions (id, message_id, text, editor_id) VALUES (\(UUID()), \(messageID), \(text), \(moderator))
                """, logger: database.logger)
            try await connection.query("UPDATE messages SET text = \(text), edited = true WHERE id = \(messageID)", logger: database.logger)
            try await AuditLog.record(.editMessage, actor: moderator, messageID: messageID, reason: reason,
                                      details: "\(current.count) → \(text.count) characters", on: connection, logger: database.logger)
        }
    }

    /// Every text the message has had, oldest first (empty when it was never edited).
    public func revisions(of messageID: UUID) async throws -> [Revision] {
        try await database.withConnection { connection in
            var revisions: [Revision] = []
            for try await (text, name, created) in try await connection.query("""
                SELECT r.text, u.display_name, r.created_at FROM message_revisions r LEFT JOIN users u ON u.id = r.editor_id
                WHERE r.message_id = \(messageID) ORDER BY r.created_at, r.id
                """, logger: database.logger).decode((String, String?, Date).self) {
                revisions.append(Revision(text: text, editorName: name, createdAt: created))
            }
            return revisions
        }
    }

    /// Stops a tree: it hands out no more tasks until restarted.
    public func halt(treeID: UUID, moderator: UUID, reason: String) async throws {
        try await changeTree(treeID, moderator: moderator, reason: reason, action: .haltTree) { TreeTransitions.halt($0) }
    }

    /// Restarts a halted tree where it belongs (prompt review, growing, or on through ranking and scoring).
    public func restart(treeID: UUID, moderator: UUID, reason: String) async throws {
        try await changeTree(treeID, moderator: moderator, reason: reason, action: .restartTree) { [config] in TreeTransitions.resume($0, config) }
    }

    private func changeTree(
        _ treeID: UUID, moderator: UUID, reason: String, action: StaffAction, decide: (TreeSnapshot) -> TreeDecision
    ) async throws {
        try await database.transaction { connection in
            guard let tree = try await trees.lockedSnapshot(treeID, on: connection) else { throw Failure.notFound }
            let decision = decide(tree)
            guard decision.changesState else { throw Failure.unchanged }
            try await trees.apply(decision, to: tree, actor: moderator, config: config, on: connection)
            try await AuditLog.record(action, actor: moderator, treeID: treeID, reason: reason,
                                      details: "\(tree.state.rawValue) → \(decision.finalState?.rawValue ?? tree.state.rawValue)",
                                      on: connection, logger: database.logger)
        }
    }

    private func lockedSubtree(_ messageID: UUID, on connection: PostgresConnection) async throws -> (TreeSnapshot, [UUID]) {
        var treeID: UUID?
        for try await id in try await connection.query(
            "SELECT tree_id FROM messages WHERE id = \(messageID)", logger: database.logger
        ).decode(UUID.self) {
            treeID = id
        }
        guard let treeID, let tree = try await trees.lockedSnapshot(treeID, on: connection) else { throw Failure.notFound }
        return (tree, AutoModeration.subtree(of: messageID, in: tree))
    }
}
