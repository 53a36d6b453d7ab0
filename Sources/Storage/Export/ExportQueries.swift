import Foundation
import PostgresNIO

/// The SQL of an export: one page of trees at a time (keyset pagination on the tree id, so every page is an
/// index range scan however deep into the table), then their messages, labels and events.
struct ExportQueries: Sendable {
    let options: ExportOptions
    let connection: PostgresConnection
    let logger: Logger

    struct TreeRow: Sendable {
        var id: UUID
        var state: String
        var origin: String?
    }

    /// The next `pageSize` trees after `after`, in id order.
    func trees(after: UUID) async throws -> [TreeRow] {
        let state = options.state?.rawValue
        let rows = try await connection.query("""
            SELECT t.id, t.state, t.origin FROM message_trees t
            WHERE t.id > \(after)
              AND (\(state)::text IS NULL OR t.state = \(state))
              AND (\(options.lang)::text IS NULL OR t.lang = \(options.lang))
              AND (\(options.includeSynthetic) OR NOT EXISTS (SELECT 1 FROM messages s WHERE s.tree_id = t.id AND s.synthetic))
              AND (\(options.userID)::uuid IS NULL OR EXISTS (SELECT 1 FROM messages a WHERE a.tree_id = t.id AND a.author_id = \(options.userID)))
            ORDER BY t.id LIMIT \(options.pageSize)
            """, logger: logger)
        var trees: [TreeRow] = []
        for try await (id, state, origin) in rows.decode((UUID, String, String?).self) {
            trees.append(TreeRow(id: id, state: state, origin: origin))
        }
        return trees
    }

    /// The selected messages of these trees, in no particular order: sorting a page's wide rows cost the database
    /// more than sorting each small tree costs the exporter (`ExportPage`).
    func messages(of treeIDs: [UUID]) async throws -> [ExportedMessage] {
        let rows = try await connection.query("""
            SELECT m.id, m.tree_id, m.parent_id, m.author_id,
                   m.created_at,
                   m.text, m.role, m.lang, m.review_count, m.review_result, m.deleted, m.rank, m.synthetic, m.model_name,
                   m.emojis::text
            FROM messages m
            WHERE m.tree_id = ANY(\(treeIDs))
              AND (\(options.includeDeleted) OR NOT m.deleted)
              AND (\(options.includeSpam) OR m.review_result IS TRUE)
              AND (\(options.userID)::uuid IS NULL OR m.author_id = \(options.userID))
            """, logger: logger)
        var messages: [ExportedMessage] = []
        for try await row in rows {
            var cells = RowReader(row)
            messages.append(ExportedMessage(
                id: try cells.next(), treeID: try cells.next(), parentID: try cells.next(), authorID: try cells.next(),
                createdAt: try cells.next(), text: try cells.next(), role: try cells.next(), lang: try cells.next(),
                reviewCount: try cells.next(), reviewResult: try cells.next(), deleted: try cells.next(), rank: try cells.next(),
                synthetic: try cells.next(), modelName: try cells.next(), emojisJSON: try cells.next()))
        }
        return messages
    }

    /// Per message and label: the average over every label row that answered it and how many did. Imported rows
    /// stand for `counts[label]` votes each (see migration 0004), so they are weighed by it.
    func labels(of treeIDs: [UUID]) async throws -> [UUID: [ExportedMessage.LabelSummary]] {
        let rows = try await connection.query("""
            SELECT l.message_id, kv.key, (sum(kv.value::float8 * w.n) / sum(w.n))::float8, sum(w.n)::int
            FROM labels l
            JOIN messages m ON m.id = l.message_id
            CROSS JOIN LATERAL jsonb_each_text(l."values") kv
            CROSS JOIN LATERAL (SELECT coalesce((l.counts ->> kv.key)::int, 1) AS n) w
            WHERE m.tree_id = ANY(\(treeIDs)) AND kv.value IS NOT NULL
            GROUP BY l.message_id, kv.key
            ORDER BY l.message_id, kv.key
            """, logger: logger)
        var labels: [UUID: [ExportedMessage.LabelSummary]] = [:]
        for try await (id, name, value, count) in rows.decode((UUID, String, Double, Int).self) {
            labels[id, default: []].append(.init(name: name, value: value, count: count))
        }
        return labels
    }

    /// Emoji rows per message, in the order they were given.
    func emojiEvents(of treeIDs: [UUID]) async throws -> [UUID: [(user: UUID, emoji: String)]] {
        let rows = try await connection.query("""
            SELECT e.message_id, e.user_id, e.emoji FROM message_emojis e JOIN messages m ON m.id = e.message_id
            WHERE m.tree_id = ANY(\(treeIDs)) ORDER BY e.message_id, e.created_at, e.user_id
            """, logger: logger)
        var events: [UUID: [(user: UUID, emoji: String)]] = [:]
        for try await (message, user, emoji) in rows.decode((UUID, UUID, String).self) {
            events[message, default: []].append((user, emoji))
        }
        return events
    }

    /// Rankings per parent message (Open Assistant attaches them to the parent).
    func rankingEvents(of treeIDs: [UUID]) async throws -> [UUID: [ExportedMessage.RankingEvent]] {
        let rows = try await connection.query("""
            SELECT parent_message_id, user_id, ranked_message_ids, not_rankable FROM rankings
            WHERE tree_id = ANY(\(treeIDs)) ORDER BY parent_message_id, created_at, user_id
            """, logger: logger)
        var events: [UUID: [ExportedMessage.RankingEvent]] = [:]
        for try await (parent, user, ids, notRankable) in rows.decode((UUID, UUID, [UUID], Bool).self) {
            events[parent, default: []].append(.init(user: user, rankedMessageIDs: ids, notRankable: notRankable))
        }
        return events
    }
}
