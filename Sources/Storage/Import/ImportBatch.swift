import Feedback
import Foundation
import PostgresNIO

/// Inserts many trees in a few statements: every column travels as one array and `unnest` turns them back into
/// rows, so a batch of thousands of messages costs a handful of round trips. Existing ids are left alone
/// (`ON CONFLICT DO NOTHING`), which makes an import idempotent. Rows go in id order, so batches written at the
/// same time that share a row (a file holding a tree twice) wait for each other instead of deadlocking.
enum ImportBatch {
    /// The author of imported label averages (created by migration 0004).
    static let importUserID = UUID(uuidString: "00000000-0000-4000-8000-00000000a001")!

    struct Counts: Sendable {
        var trees = 0
        var messages = 0
        var users = 0
    }

    /// Placeholder users for the authors the database does not know yet; how many were created.
    static func insertAuthors(of units: [ImportUnit], on connection: PostgresConnection, logger: Logger) async throws -> Int {
        let authors = Set(units.flatMap { $0.rows.compactMap(\.authorID) }).sorted(by: inIDOrder)
        guard !authors.isEmpty else { return 0 }
        return try await count(connection.query("""
            WITH created AS (
                INSERT INTO users (id, display_name)
                SELECT u, 'Imported user ' || left(replace(u::text, '-', ''), 12) FROM unnest(\(authors)::uuid[]) AS u
                ON CONFLICT (id) DO NOTHING RETURNING 1
            ) SELECT count(*)::int FROM created
            """, logger: logger))
    }

    /// The trees and their messages and labels; the authors must exist already (`insertAuthors`).
    static func insert(_ units: [ImportUnit], config: TreeManagerConfiguration, on connection: PostgresConnection, logger: Logger) async throws -> Counts {
        var counts = Counts()
        // Losing the last batches in a crash is harmless (the import is idempotent: run it again), and not waiting
        // for the disk on every commit is what makes a tree-sized transaction cheap.
        try await connection.query("SET LOCAL synchronous_commit = off", logger: logger)

        let units = units.sorted { inIDOrder($0.treeID, $1.treeID) }
        let settings = NewTreeSettings.forImport(intoRanking: false, config)
        let treeIDs = units.map(\.treeID), states = units.map(\.state.rawValue), active = units.map { !$0.state.isTerminal }
        let langs = units.map(\.lang), origins = units.map(\.origin)
        counts.trees = try await count(connection.query("""
            WITH created AS (
                INSERT INTO message_trees (id, state, active, lang, goal_tree_size, max_depth, max_children_count, origin)
                SELECT id, state, active, lang, \(settings.goalTreeSize), \(settings.maxDepth), \(settings.maxChildrenCount), origin
                FROM unnest(\(treeIDs)::uuid[], \(states)::text[], \(active)::bool[], \(langs)::text[], \(origins)::text[])
                     AS t(id, state, active, lang, origin)
                ON CONFLICT (id) DO NOTHING RETURNING 1
            ) SELECT count(*)::int FROM created
            """, logger: logger))

        var ids: [UUID] = [], trees: [UUID] = [], parents: [String] = [], authorIDs: [String] = [], created: [String] = []
        var texts: [String] = [], roles: [String] = [], messageLangs: [String] = [], depths: [Int] = [], children: [Int] = []
        var reviewCounts: [Int] = [], reviewResults: [String] = [], deleted: [Bool] = [], ranks: [Int] = [], synthetic: [Bool] = []
        var models: [String] = [], emojis: [String] = [], labelValues: [String] = [], labelCounts: [String] = []
        let rows = units.flatMap { unit in unit.rows.map { (tree: unit.treeID, row: $0) } }.sorted { inIDOrder($0.row.id, $1.row.id) }
        for (tree, row) in rows {
            ids.append(row.id); trees.append(tree)
            parents.append(row.parentID.map(LowercaseHex.uuid) ?? ""); authorIDs.append(row.authorID.map(LowercaseHex.uuid) ?? "")
            created.append(row.createdDate ?? ""); texts.append(row.text); roles.append(row.role); messageLangs.append(row.lang)
            depths.append(row.depth); children.append(row.childrenCount); reviewCounts.append(row.reviewCount)
            reviewResults.append(row.reviewResult.map { $0 ? "t" : "f" } ?? ""); deleted.append(row.deleted)
            ranks.append(row.rank ?? -1); synthetic.append(row.synthetic); models.append(row.modelName ?? "")
            emojis.append(row.emojisJSON); labelValues.append(row.labelValuesJSON ?? ""); labelCounts.append(row.labelCountsJSON ?? "")
        }
        // Nullable columns travel as text with '' (or rank -1) for NULL: arrays of optionals do not bind.
        counts.messages = try await count(connection.query("""
            WITH r AS (
                SELECT * FROM unnest(
                    \(ids)::uuid[], \(trees)::uuid[], \(parents)::text[], \(authorIDs)::text[], \(created)::text[],
                    \(texts)::text[], \(roles)::text[], \(messageLangs)::text[], \(depths)::int8[], \(children)::int8[],
                    \(reviewCounts)::int8[], \(reviewResults)::text[], \(deleted)::bool[], \(ranks)::int8[], \(synthetic)::bool[],
                    \(models)::text[], \(emojis)::text[], \(labelValues)::text[], \(labelCounts)::text[]
                ) AS r(id, tree_id, parent, author, created, text, role, lang, depth, children, review_count, review_result,
                       deleted, rank, synthetic, model_name, emojis, label_values, label_counts)
            ), inserted AS (
                INSERT INTO messages (id, tree_id, parent_id, author_id, created_at, text, role, lang, depth, children_count,
                                      review_count, review_result, deleted, rank, synthetic, model_name, emojis)
                SELECT id, tree_id, NULLIF(parent, '')::uuid, NULLIF(author, '')::uuid,
                       coalesce(NULLIF(created, '')::timestamptz, now()), text, role, lang, depth, children, review_count,
                       NULLIF(review_result, '')::boolean, deleted, NULLIF(rank, -1), synthetic, NULLIF(model_name, ''),
                       emojis::jsonb
                FROM r
                ON CONFLICT (id) DO NOTHING RETURNING id
            ), labelled AS (
                INSERT INTO labels (id, message_id, user_id, kind, "values", counts)
                SELECT gen_random_uuid(), r.id, \(importUserID), 'import', r.label_values::jsonb, r.label_counts::jsonb
                FROM r JOIN inserted i ON i.id = r.id WHERE r.label_values <> ''
                RETURNING 1
            ) SELECT (SELECT count(*) FROM inserted)::int + 0 * (SELECT count(*) FROM labelled)::int
            """, logger: logger))
        return counts
    }

    /// Postgres's order of uuids: their bytes compared one by one.
    private static func inIDOrder(_ a: UUID, _ b: UUID) -> Bool {
        withUnsafeBytes(of: a.uuid) { x in withUnsafeBytes(of: b.uuid) { y in x.lexicographicallyPrecedes(y) } }
    }

    private static func count(_ rows: PostgresRowSequence) async throws -> Int {
        for try await value in rows.decode(Int.self) { return value }
        return 0
    }
}
