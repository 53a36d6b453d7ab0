import Foundation
import PostgresNIO

/// Chats as oasst message trees (one per first message), for training on what users agreed to share.
/// Chats whose owner switched "do not use my data" on, and API calls, are never exported; neither are
/// replies still being written or ones that failed. Assistant messages are synthetic, with their model.
public struct ChatExporter: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// Writes one JSON line per tree and returns how many trees and messages went out.
    @discardableResult
    public func export(to output: LineOutput) async throws -> (trees: Int, messages: Int) {
        let chatIDs: [UUID] = try await database.withConnection { connection in
            var ids: [UUID] = []
            for try await id in try await connection.query("""
                SELECT id FROM chats WHERE allow_data_use AND NOT via_api ORDER BY created_at, id
                """, logger: database.logger).decode(UUID.self) { ids.append(id) }
            return ids
        }
        var trees = 0, messages = 0
        for chatID in chatIDs {
            let rows = try await database.withConnection { connection in
                var rows: [Row] = []
                for try await row in try await connection.query("""
                    SELECT m.id, m.parent_id, c.user_id, m.role, m.content, m.model, m.score::int, m.created_at
                    FROM chat_messages m JOIN chats c ON c.id = m.chat_id
                    WHERE m.chat_id = \(chatID) AND m.state IN ('manual', 'complete', 'cancelled') AND m.content <> ''
                    ORDER BY m.created_at, m.id
                    """, logger: database.logger).decode((UUID, UUID?, UUID, String, String, String?, Int, Date).self) {
                    rows.append(Row(id: row.0, parent: row.1, user: row.2, role: row.3, text: row.4, model: row.5, score: row.6, created: row.7))
                }
                return rows
            }
            let children = Dictionary(grouping: rows.filter { $0.parent != nil }, by: { $0.parent! })
            for root in rows where root.parent == nil && root.role == "prompter" {
                let tree: [String: Any] = [
                    "message_tree_id": root.id.uuidString.lowercased(), "tree_state": "ready_for_export",
                    "origin": "chat", "prompt": node(root, children: children, count: &messages),
                ]
                try await output.writeLine(Array(try JSONSerialization.data(withJSONObject: tree, options: [.sortedKeys, .withoutEscapingSlashes])))
                trees += 1
            }
        }
        try await output.finish()
        return (trees, messages)
    }

    struct Row {
        var id: UUID
        var parent: UUID?
        var user: UUID
        var role: String
        var text: String
        var model: String?
        var score: Int
        var created: Date
    }

    private func node(_ row: Row, children: [UUID: [Row]], count: inout Int) -> [String: Any] {
        count += 1
        var node: [String: Any] = [
            "message_id": row.id.uuidString.lowercased(), "text": row.text, "role": row.role,
            "created_date": ISO8601DateFormatter().string(from: row.created), "synthetic": row.role == "assistant",
        ]
        if let parent = row.parent { node["parent_id"] = parent.uuidString.lowercased() }
        if row.role == "prompter" { node["user_id"] = row.user.uuidString.lowercased() }
        if let model = row.model, row.role == "assistant" { node["model_name"] = model }
        if row.score != 0 { node["emojis"] = [row.score > 0 ? "+1" : "-1": 1] }
        let replies = (children[row.id] ?? []).map { self.node($0, children: children, count: &count) }
        if !replies.isEmpty { node["replies"] = replies }
        return node
    }
}
