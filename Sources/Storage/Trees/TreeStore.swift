import Feedback
import Foundation
import PostgresNIO

/// Message trees: reading them whole (trees are small), and applying the decisions of `Feedback`.
/// Every change to a tree happens in one transaction that first locks the tree's row, so two
/// contributors finishing the last review or ranking together advance it exactly once.
public struct TreeStore: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    public struct TreeRow: Sendable, Equatable {
        public var id: UUID
        public var state: TreeState
        public var active: Bool
        public var lang: String
        public var goalTreeSize: Int
        public var maxDepth: Int
        public var maxChildrenCount: Int
        public var wonPromptLotteryAt: Date?

        /// id, state, active, lang, goal_tree_size, max_depth, max_children_count, won_prompt_lottery_at
        typealias Columns = (UUID, String, Bool, String, Int, Int, Int, Date?)

        /// `Columns` and then the tree's version (migration 0011).
        typealias VersionedColumns = (UUID, String, Bool, String, Int, Int, Int, Date?, Int64)

        /// The columns `VersionedColumns` decodes, for a select list.
        static let versionedColumnList = "id, state, active, lang, goal_tree_size, max_depth, max_children_count, won_prompt_lottery_at, version"

        /// The row and its version from `VersionedColumns`.
        static func versioned(_ row: VersionedColumns) -> (row: TreeRow, version: Int64) {
            (TreeRow((row.0, row.1, row.2, row.3, row.4, row.5, row.6, row.7)), row.8)
        }

        init(_ row: Columns) {
            // A state this version does not know is treated as halted: such a tree gets no tasks.
            self.init(id: row.0, state: TreeState(rawValue: row.1) ?? .haltedByModerator, active: row.2, lang: row.3,
                      goalTreeSize: row.4, maxDepth: row.5, maxChildrenCount: row.6, wonPromptLotteryAt: row.7)
        }

        init(id: UUID, state: TreeState, active: Bool, lang: String, goalTreeSize: Int, maxDepth: Int, maxChildrenCount: Int, wonPromptLotteryAt: Date?) {
            self.id = id
            self.state = state
            self.active = active
            self.lang = lang
            self.goalTreeSize = goalTreeSize
            self.maxDepth = maxDepth
            self.maxChildrenCount = maxChildrenCount
            self.wonPromptLotteryAt = wonPromptLotteryAt
        }
    }

    /// Locks the tree row for the rest of the transaction and returns its snapshot.
    ///
    /// The version comes from the locked row itself: a `FOR NO KEY UPDATE` that waited for the lock returns the
    /// row as its holder committed it, so the version is current even when the statement's view is older.
    func lockedSnapshot(_ treeID: UUID, on connection: PostgresConnection) async throws -> TreeSnapshot? {
        var found: (row: TreeRow, version: Int64)?
        let rows = try await connection.query("""
            SELECT \(unescaped: TreeRow.versionedColumnList) FROM message_trees WHERE id = \(treeID) FOR NO KEY UPDATE
            """, logger: database.logger)
        for try await row in rows.decode(TreeRow.VersionedColumns.self) {
            found = TreeRow.versioned(row)
        }
        guard let found else { return nil }
        return try await snapshot(ofLocked: found, on: connection)
    }

    /// The snapshot of a tree whose row, with its version, a statement of this transaction locked and returned.
    func snapshot(ofLocked locked: (row: TreeRow, version: Int64), on connection: PostgresConnection) async throws -> TreeSnapshot {
        try await cachedSnapshots(of: [locked], on: connection)[0]
    }

    /// Locks the row of the tree that holds `messageID` and returns the tree's id; nil when there is no such
    /// message. A statement that changes a message outside a tree transaction calls this first: every change to a
    /// message stamps its tree's row (migration 0011), and taking the tree before the message, as every tree
    /// transaction does, keeps the two from waiting for each other.
    func lockTree(containing messageID: UUID, on connection: PostgresConnection) async throws -> UUID? {
        for try await id in try await connection.query("""
            SELECT t.id FROM message_trees t WHERE t.id = (SELECT m.tree_id FROM messages m WHERE m.id = \(messageID))
            FOR NO KEY UPDATE
            """, logger: database.logger).decode(UUID.self) {
            return id
        }
        return nil
    }

    /// Snapshots of trees listed with their versions: from the cache where the version still matches, read (and
    /// cached) otherwise. Contents read after the listing can only be newer than their version, which the next
    /// listing then shows as changed.
    private func cachedSnapshots(of listed: [(row: TreeRow, version: Int64)], on connection: PostgresConnection) async throws -> [TreeSnapshot] {
        let cache = database.treeSnapshots
        var contents: [UUID: TreeSnapshotCache.Contents] = [:]
        var missing: [TreeRow] = []
        for (row, version) in listed {
            if let cached = cache.contents(of: row.id, at: version) { contents[row.id] = cached } else { missing.append(row) }
        }
        let versions = Dictionary(listed.map { ($0.row.id, $0.version) }, uniquingKeysWith: { first, _ in first })
        for tree in try await snapshots(of: missing, on: connection) {
            // Without a listed version (never the case) the contents are stored under one no tree ever has.
            let read = TreeSnapshotCache.Contents(version: versions[tree.id] ?? -1, lang: tree.lang, messages: tree.messages, rankings: tree.rankings)
            cache.store(read, for: tree.id)
            contents[tree.id] = read
        }
        return listed.map { row, _ in
            let held = contents[row.id]
            return TreeSnapshot(
                id: row.id, state: row.state, active: row.active, goalTreeSize: row.goalTreeSize, maxDepth: row.maxDepth,
                maxChildrenCount: row.maxChildrenCount, lang: row.lang, wonPromptLotteryAt: row.wonPromptLotteryAt,
                messages: held?.messages ?? [], rankings: held?.rankings ?? []
            )
        }
    }

    /// Snapshots of the given tree rows: their messages and completed rankings, in one query.
    func snapshots(of trees: [TreeRow], on connection: PostgresConnection) async throws -> [TreeSnapshot] {
        guard !trees.isEmpty else { return [] }
        let byTree = try await SnapshotColumns.fetch(treeIDs: trees.map(\.id), on: connection, logger: database.logger)
        return trees.map { tree in
            TreeSnapshot(
                id: tree.id, state: tree.state, active: tree.active, goalTreeSize: tree.goalTreeSize, maxDepth: tree.maxDepth,
                maxChildrenCount: tree.maxChildrenCount, lang: tree.lang, wonPromptLotteryAt: tree.wonPromptLotteryAt,
                messages: byTree[tree.id]?.messages ?? [], rankings: byTree[tree.id]?.rankings ?? []
            )
        }
    }

    /// The active trees of one language in the states that hand out tasks.
    func activeTrees(lang: String, on connection: PostgresConnection) async throws -> [TreeSnapshot] {
        var listing: TreeStatements.ActiveTrees.Row?
        for try await row in try await connection.execute(TreeStatements.ActiveTrees(lang: lang), logger: database.logger) {
            listing = row
        }
        return try await activeTrees(listing.map(TreeStatements.ActiveTrees.rows) ?? [], lang: lang, on: connection)
    }

    /// The snapshots of the active trees of a listing some statement read (`TreeStatements.ActiveTrees.rows`).
    func activeTrees(_ listing: [TreeRow.VersionedColumns], lang: String, on connection: PostgresConnection) async throws -> [TreeSnapshot] {
        let listed = listing.map(TreeRow.versioned)
        database.treeSnapshots.keepOnly(Set(listed.map(\.row.id)), lang: lang)
        return try await cachedSnapshots(of: listed, on: connection)
    }

    /// Stores a decision: the new state (and whether the tree stays active) and any consensus ranks.
    func apply(
        _ decision: TreeDecision, to tree: TreeSnapshot, actor: UUID?, config: TreeManagerConfiguration, on connection: PostgresConnection
    ) async throws {
        let logger = database.logger
        if let state = decision.finalState {
            try await connection.query("""
                UPDATE message_trees SET state = \(state.rawValue), active = \(!state.isTerminal), updated_at = now(),
                       won_prompt_lottery_at = CASE WHEN \(state.rawValue) = 'growing' THEN coalesce(won_prompt_lottery_at, now())
                                                    ELSE won_prompt_lottery_at END
                WHERE id = \(tree.id)
                """, logger: logger)
            for step in decision.transitions {
                try await Journal.record(action: "tree_state", userID: actor, treeID: tree.id, payload: ["state": step.rawValue], on: connection, logger: logger)
            }
        }
        for (messageID, rank) in decision.ranks.sorted(by: { $0.key < $1.key }) {
            try await connection.query("UPDATE messages SET rank = \(rank) WHERE id = \(messageID)", logger: logger)
        }
        if decision.finalState == .readyForExport, !decision.ranks.isEmpty {
            try await grantConsensusBonuses(tree, ranks: decision.ranks, config: config, on: connection)
        }
    }

    /// Journals the ranking-agreement and reply-rank bonuses of a freshly scored tree, once per tree
    /// (a tree restarted by a moderator and scored again earns nothing twice).
    private func grantConsensusBonuses(_ tree: TreeSnapshot, ranks: [UUID: Int?], config: TreeManagerConfiguration, on connection: PostgresConnection) async throws {
        let logger = database.logger
        for try await _ in try await connection.query("""
            SELECT 1 FROM journal WHERE tree_id = \(tree.id) AND action IN ('ranking_agreed', 'reply_ranked') LIMIT 1
            """, logger: logger) {
            return
        }
        for bonus in ScoringRules.bonuses(forScoredTree: tree, ranks: ranks, config) {
            let entry = bonus.action.journalEntry
            try await Journal.record(action: entry.action, userID: bonus.userID, treeID: tree.id, payload: entry.payload, on: connection, logger: logger)
        }
    }

    /// Re-evaluates a locked tree after a change and stores what follows.
    @discardableResult
    func settle(_ treeID: UUID, config: TreeManagerConfiguration, actor: UUID?, on connection: PostgresConnection) async throws -> TreeSnapshot? {
        guard let tree = try await lockedSnapshot(treeID, on: connection) else { return nil }
        let decision = TreeTransitions.evaluate(tree, config)
        try await apply(decision, to: tree, actor: actor, config: config, on: connection)
        return tree.applying(decision)
    }

    // MARK: - Reading for pages

    /// Every message of the tree that holds `messageID`, oldest first.
    public func tree(containing messageID: UUID) async throws -> (TreeRow, [StoredMessage])? {
        try await database.withConnection { connection in
            var found: TreeRow?
            let rows = try await connection.query("""
                SELECT t.id, t.state, t.active, t.lang, t.goal_tree_size, t.max_depth, t.max_children_count, t.won_prompt_lottery_at
                FROM message_trees t JOIN messages m ON m.tree_id = t.id WHERE m.id = \(messageID)
                """, logger: database.logger)
            for try await row in rows.decode(TreeRow.Columns.self) { found = TreeRow(row) }
            guard let tree = found else { return nil }
            let messages = try await MessageColumns.fetch(connection, """
                SELECT \(unescaped: MessageColumns.list) \(unescaped: MessageColumns.from)
                WHERE m.tree_id = \(tree.id) ORDER BY m.created_at, m.id
                """, logger: database.logger)
            return (tree, messages)
        }
    }

    /// The conversation from the root down to `messageID`, for showing above a task.
    ///
    /// Trees are small, so this reads the whole tree and follows the parents here: a recursive query cost
    /// Postgres more to plan than to run, and every task page asks for it.
    public func conversation(endingAt messageID: UUID) async throws -> [StoredMessage] {
        let tree = try await database.withConnection { connection in
            var messages: [StoredMessage] = []
            for try await row in try await connection.execute(TreeStatements.TreeOfMessage(messageID: messageID), logger: database.logger) {
                messages.append(MessageColumns.message(row))
            }
            return messages
        }
        let byID = Dictionary(tree.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var path: [StoredMessage] = []
        var next: UUID? = messageID
        while let id = next, let message = byID[id], path.count < byID.count {
            path.append(message)
            next = message.parentID
        }
        return path.reversed()
    }

    /// Average value and number of answers per label for each message (task reviews only; unanswered
    /// labels are absent from a review, so they count in neither).
    public func labelSummaries(of messageIDs: [UUID]) async throws -> [UUID: [(label: String, mean: Double, count: Int)]] {
        try await database.withConnection { connection in
            var summaries: [UUID: [(label: String, mean: Double, count: Int)]] = [:]
            let rows = try await connection.query("""
                SELECT l.message_id, v.key, avg(v.value::float8)::float8, count(*)::int
                FROM labels l CROSS JOIN LATERAL jsonb_each_text(l."values") AS v
                WHERE l.message_id = ANY(\(messageIDs)) AND l.kind = 'task'
                GROUP BY l.message_id, v.key ORDER BY v.key
                """, logger: database.logger)
            for try await (message, label, mean, count) in rows.decode((UUID, String, Double, Int).self) {
                summaries[message, default: []].append((label, mean, count))
            }
            return summaries
        }
    }

    public func messages(ids: [UUID]) async throws -> [StoredMessage] {
        try await database.withConnection { connection in
            try await MessageColumns.fetch(connection, """
                SELECT \(unescaped: MessageColumns.list) \(unescaped: MessageColumns.from) WHERE m.id = ANY(\(ids))
                """, logger: database.logger)
        }
    }

    /// Trees per state, for the dashboard and the stats.
    public func countsByState() async throws -> [TreeState: Int] {
        try await database.withConnection { connection in
            var counts: [TreeState: Int] = [:]
            for try await (state, count) in try await connection.query(
                "SELECT state, count(*)::int FROM message_trees GROUP BY state", logger: database.logger
            ).decode((String, Int).self) {
                if let state = TreeState(rawValue: state) { counts[state] = count }
            }
            return counts
        }
    }
}
