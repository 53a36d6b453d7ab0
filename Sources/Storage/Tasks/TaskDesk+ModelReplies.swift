import Feedback
import Foundation
import PostgresNIO

/// Model-written replies enter a tree through the same desk as people's: the rules are checked again on the
/// locked tree in a short transaction, after the (slow) generation happened outside any lock.
extension TaskDesk {
    /// The account that authors every model-written message (created by migration 0007).
    public static let modelAuthorID = UUID(uuidString: "00000000-0000-4000-8000-00000000a002")!

    /// Prompts in growing trees that may get a model reply now, at most `limit`, leaving out `excluding`
    /// (parents whose reply is being generated).
    public func modelReplyTargets(_ policy: SyntheticReplyPolicy, limit: Int, excluding: Set<UUID> = []) async throws -> [SyntheticReplyTarget] {
        guard limit > 0, policy.isEnabled else { return [] }
        return try await database.withConnection { connection in
            var rows: [TreeStore.TreeRow] = []
            for try await row in try await connection.query("""
                SELECT id, state, active, lang, goal_tree_size, max_depth, max_children_count, won_prompt_lottery_at
                FROM message_trees WHERE active AND state = 'growing'
                """, logger: logger).decode(TreeStore.TreeRow.Columns.self) {
                rows.append(TreeStore.TreeRow(row))
            }
            let trees = try await self.trees.snapshots(of: rows, on: connection)
            let open = try await openHumanReplyTasks(treeIDs: rows.map(\.id), on: connection)
            let targets = SyntheticReplyRules.targets(in: trees, openHumanReplyTasks: open, policy, config)
            return Array(targets.filter { !excluding.contains($0.parentID) }.prefix(limit))
        }
    }

    /// Model replies stored since `date`, by any process: what the hourly budget has spent.
    public func modelRepliesWritten(since date: Date) async throws -> Int {
        try await database.withConnection { connection in
            var count = 0
            for try await value in try await connection.query("""
                SELECT count(*)::int FROM messages WHERE synthetic AND created_at > \(date)
                """, logger: logger).decode(Int.self) {
                count = value
            }
            return count
        }
    }

    /// Stores a generated reply under the target if the rules still allow it; nil when the tree moved on
    /// meanwhile (the text is dropped). The reply is unreviewed, like a human one, and gets reviewed the same way.
    public func submitModelReply(
        to target: SyntheticReplyTarget, text: String, modelName: String, _ policy: SyntheticReplyPolicy
    ) async throws -> UUID? {
        guard case .success(let cleaned) = TextReplyValidation.validate(text, now: Date(), limits) else { return nil }
        return try await database.transaction { connection -> UUID? in
            guard let tree = try await trees.lockedSnapshot(target.treeID, on: connection), let parent = tree.message(target.parentID) else {
                return nil
            }
            let open = try await openHumanReplyTasks(treeIDs: [tree.id], on: connection)[parent.id] ?? 0
            guard SyntheticReplyRules.accepts(parent.id, in: tree, openHumanReplyTasks: open, policy, config) else { return nil }
            let messageID = UUID()
            try await connection.query("""
                INSERT INTO messages (id, tree_id, parent_id, role, text, lang, depth, author_id, synthetic, model_name)
                VALUES (\(messageID), \(tree.id), \(parent.id), \(MessageRole.assistant.rawValue), \(cleaned), \(tree.lang),
                        \(parent.depth + 1), \(Self.modelAuthorID), true, \(modelName))
                """, logger: logger)
            try await connection.query("UPDATE messages SET children_count = children_count + 1 WHERE id = \(parent.id)", logger: logger)
            try await Journal.record(action: "model_reply", userID: nil, messageID: messageID, treeID: tree.id,
                                     payload: ["model": modelName], on: connection, logger: logger)
            return messageID
        }
    }

    /// Open reply tasks people hold per parent in these trees (within the soft-lock window).
    private func openHumanReplyTasks(treeIDs: [UUID], on connection: PostgresConnection) async throws -> [UUID: Int] {
        guard !treeIDs.isEmpty else { return [:] }
        let since = Date().addingTimeInterval(-Double(config.recentTasksSpanSeconds))
        var counts: [UUID: Int] = [:]
        for try await (parent, count) in try await connection.query("""
            SELECT parent_message_id, count(*)::int FROM tasks
            WHERE tree_id = ANY(\(treeIDs)) AND NOT done AND NOT skipped AND kind IN ('prompter_reply', 'assistant_reply')
              AND parent_message_id IS NOT NULL AND created_at > \(since)
            GROUP BY parent_message_id
            """, logger: logger).decode((UUID, Int).self) {
            counts[parent] = count
        }
        return counts
    }
}
