import Feedback
import Foundation
import PostgresNIO

/// Hands out tasks and takes their results. `Feedback` decides what is available and what a
/// submission changes; this type reads the trees, applies those decisions in one transaction per
/// change (with the tree row locked), and journals every accepted action.
public struct TaskDesk: Sendable {
    let database: Database
    let trees: TreeStore
    public let config: TreeManagerConfiguration
    public let limits: SubmissionLimits

    public init(database: Database, config: TreeManagerConfiguration = .default, limits: SubmissionLimits = .default) {
        self.database = database
        self.trees = TreeStore(database: database)
        self.config = config
        self.limits = limits
    }

    var logger: Logger { database.logger }

    /// A tree row as the claim locked and read it, with its version stamp.
    typealias LockedTree = (row: TreeStore.TreeRow, version: Int64)

    // MARK: - Availability and the next task

    /// Task counts per kind for this user, after running the prompt lottery.
    public func availability(for userID: UUID, lang: String = "en") async throws -> TaskAvailability {
        TaskAvailability(try await candidates(for: userID, lang: lang, lotteryActivations: config.lotteryActivationsPerAvailabilityCheck), config)
    }

    /// Creates the next task for the user: of `kind`, or drawn by the task weights when nil.
    public func nextTask(for userID: UUID, kind: TaskKind?, lang: String = "en") async throws -> StoredTask {
        let candidates = try await candidates(for: userID, lang: lang, lotteryActivations: config.lotteryActivationsPerTaskRequest, checkingPendingTasks: true)
        var rng = SystemRandomNumberGenerator()
        guard let choice = TaskPicker.pick(kind, from: candidates, config, using: &rng) else {
            throw TaskFailure.nothingAvailable(kind)
        }
        return try await database.withConnection { connection in
            try await store(choice, for: userID, on: connection)
        }
    }

    /// Runs `body` (a submission, then handing out the next task) with the submission's scores counted on
    /// another connection meanwhile; see `Database.countingScoresAlongside`.
    public func countingScoresAlongside<Result: Sendable>(_ body: () async throws -> Result) async throws -> Result {
        try await database.countingScoresAlongside(body)
    }

    public func task(_ id: UUID, for userID: UUID) async throws -> StoredTask? {
        try await database.withConnection { connection in
            try await load(id, userID: userID, lock: false, on: connection)
        }
    }

    // MARK: - Submissions

    /// Claims the user's open task, asks `answer` what the form says for it, and stores that, in one
    /// transaction with the task's tree locked. The claim is the first statement: the task was read by a
    /// round trip of its own before, only to learn which form to read. What `answer` throws refuses the
    /// submission, and the claim rolls back with it. Returns the task as it was claimed.
    @discardableResult
    public func submit(taskID: UUID, userID: UUID, lang: String = "en", answer: (StoredTask) throws -> TaskAnswer) async throws -> StoredTask {
        try await submission(taskID, userID: userID) { connection in
            let claimed = try await claimTask(taskID, userID: userID, on: connection)
            let task = claimed.task, lockedTree = claimed.lockedTree
            switch try answer(task) {
            case .text(let text): try await storeText(text, for: task, lockedTree, recentTexts: claimed.recentTexts, lang: lang, on: connection)
            case .labels(let values, let note): try await storeLabels(values, note: note, for: task, lockedTree, on: connection)
            case .ranking(let ranked, let notRankable): try await storeRanking(ranked, notRankable: notRankable, for: task, lockedTree, on: connection)
            }
            return task
        }
    }

    /// A written prompt or reply.
    private func storeText(
        _ text: String, for task: StoredTask, _ lockedTree: LockedTree?, recentTexts: [RecentText], lang: String, on connection: PostgresConnection
    ) async throws {
        let userID = task.userID, taskID = task.id
        let cleaned: String
        switch TextReplyValidation.validate(text, recentTexts: recentTexts, now: Date(), limits) {
        case .failure(let error): throw TaskFailure.rejected(error)
        case .success(let value): cleaned = value
        }
        let messageID = UUID()
        switch task.choice {
        case .initialPrompt:
            var rng = SystemRandomNumberGenerator()
            let settings = NewTreeSettings.forNewPrompt(config, using: &rng)
            try await connection.query("""
                INSERT INTO message_trees (id, state, active, lang, goal_tree_size, max_depth, max_children_count)
                VALUES (\(messageID), \(settings.state.rawValue), true, \(lang), \(settings.goalTreeSize), \(settings.maxDepth), \(settings.maxChildrenCount))
                """, logger: logger)
            try await Journal.record(action: "wrote_prompt", userID: userID, messageID: messageID, treeID: messageID, taskID: taskID, on: connection, logger: logger)
            try await connection.query("""
                WITH prompt AS (
                    INSERT INTO messages (id, tree_id, parent_id, role, text, lang, depth, author_id)
                    VALUES (\(messageID), \(messageID), NULL, 'prompter', \(cleaned), \(lang), 0, \(userID))
                ), result AS (
                    UPDATE tasks SET result_message_id = \(messageID) WHERE id = \(taskID)
                )
                SELECT journal_append(\(try JournalBatch.takeCurrent())::jsonb)
                """, logger: logger)
        case .reply(let kind, let parentID, let treeID):
            guard let tree = try await snapshot(of: treeID, lockedTree, on: connection), let parent = tree.message(parentID), !parent.deleted else {
                throw TaskFailure.treeChanged
            }
            let existing = tree.children(of: parentID).filter { $0.authorID == userID && !$0.deleted }.count
            if let problem = TextReplyValidation.validateReplyTarget(treeState: tree.state, existingRepliesByUser: existing) {
                throw TaskFailure.rejected(problem)
            }
            let role = kind == .assistantReply ? MessageRole.assistant : .prompter
            try await Journal.record(action: "wrote_reply", userID: userID, messageID: messageID, treeID: treeID, taskID: taskID,
                                     payload: ["role": role.rawValue], on: connection, logger: logger)
            // One statement for the reply, its parent's count, the task's result and the journal: the tree stays
            // locked for every round trip.
            try await connection.query("""
                WITH reply AS (
                    INSERT INTO messages (id, tree_id, parent_id, role, text, lang, depth, author_id)
                    VALUES (\(messageID), \(treeID), \(parentID), \(role.rawValue), \(cleaned), \(lang), \(parent.depth + 1), \(userID))
                ), parent AS (
                    UPDATE messages SET children_count = children_count + 1 WHERE id = \(parentID)
                ), result AS (
                    UPDATE tasks SET result_message_id = \(messageID) WHERE id = \(taskID)
                )
                SELECT journal_append(\(try JournalBatch.takeCurrent())::jsonb)
                """, logger: logger)
        default:
            throw TaskFailure.notFound
        }
    }

    /// A review of the task's message.
    private func storeLabels(_ values: LabelValues, note text: String?, for task: StoredTask, _ lockedTree: LockedTree?, on connection: PostgresConnection) async throws {
        let userID = task.userID, taskID = task.id
        guard case .label(_, let messageID, let treeID, let labelSet) = task.choice else { throw TaskFailure.notFound }
        if let problem = LabelValidation.validate(values, against: labelSet, text: text, limits) {
            throw TaskFailure.rejected(problem)
        }
        guard let tree = try await snapshot(of: treeID, lockedTree, on: connection), let message = tree.message(messageID) else {
            throw TaskFailure.treeChanged
        }
        // A statement of its own, after the claim locked the tree: the claim's snapshot is taken before it waits for
        // the lock, and would miss a review another contributor committed meanwhile.
        let earlier = try await taskReviews(of: messageID, on: connection)
        let already = earlier.contains { $0.reviewer == userID }
        if let problem = LabelValidation.validateReviewer(userID, of: message, alreadyLabeledByUser: already) {
            throw TaskFailure.rejected(problem)
        }
        let stored = LabelJSON.encode(values)
        // The reviews as a read after the insert would return them, without that read, and the label with the
        // message's new review state and the journal rows in one statement: the tree stays locked for every
        // round trip of this transaction, and other contributors' submits wait for it.
        let reviews = earlier.map(\.values) + [LabelJSON.decode(stored)]
        let reviewed = tree.applyingReview(of: messageID, reviews: reviews, config)
        let after = reviewed.message(messageID)!
        try await Journal.record(action: "labeled", userID: userID, messageID: messageID, treeID: treeID, taskID: taskID,
                                 payload: ["mode": labelSet.mode.rawValue], on: connection, logger: logger)
        if after.reviewResult == true && message.reviewResult != true {
            try await Journal.record(action: after.parentID == nil ? "prompt_accepted" : "reply_accepted", userID: after.authorID,
                                     messageID: messageID, treeID: treeID, payload: ["role": after.role.rawValue], on: connection, logger: logger)
        }
        try await connection.query("""
            WITH label AS (
                INSERT INTO labels (id, message_id, user_id, task_id, kind, "values", text)
                VALUES (\(UUID()), \(messageID), \(userID), \(taskID), 'task', \(stored)::jsonb, \(text))
            ), review AS (
                UPDATE messages SET review_count = \(after.reviewCount), review_result = \(after.reviewResult) WHERE id = \(messageID)
            )
            SELECT journal_append(\(try JournalBatch.takeCurrent())::jsonb)
            """, logger: logger)
        let decision = TreeTransitions.evaluate(reviewed, config)
        try await trees.apply(decision, to: reviewed, actor: userID, config: config, on: connection)
    }

    /// A ranking of the task's replies, best first.
    private func storeRanking(_ rankedIDs: [UUID], notRankable: Bool, for task: StoredTask, _ lockedTree: LockedTree?, on connection: PostgresConnection) async throws {
        let userID = task.userID, taskID = task.id
        guard case .ranking(_, let parentID, let treeID, let offered, _) = task.choice else { throw TaskFailure.notFound }
        if let problem = RankingValidation.validate(rankedIDs: rankedIDs, offeredIDs: offered) {
            throw TaskFailure.rejected(problem)
        }
        guard let tree = try await snapshot(of: treeID, lockedTree, on: connection), tree.state == .ranking || tree.state == .readyForScoring else {
            throw TaskFailure.treeChanged
        }
        let replies = tree.children(of: parentID)
        let already = tree.rankings.contains { $0.parentID == parentID && $0.userID == userID }
        if let problem = RankingValidation.validateRanker(userID, replies: replies, alreadyRankedByUser: already) {
            throw TaskFailure.rejected(problem)
        }
        try await Journal.record(action: "ranked", userID: userID, messageID: parentID, treeID: treeID, taskID: taskID,
                                 payload: ["ranking": rankedIDs.map(\.uuidString).joined(separator: ",")], on: connection, logger: logger)
        try await connection.query("""
            WITH ranking AS (
                INSERT INTO rankings (id, parent_message_id, tree_id, user_id, task_id, ranked_message_ids, not_rankable)
                VALUES (\(UUID()), \(parentID), \(treeID), \(userID), \(taskID), \(rankedIDs), \(notRankable))
            ), counted AS (
                UPDATE messages SET ranking_count = ranking_count + 1 WHERE id = ANY(\(rankedIDs))
            )
            SELECT journal_append(\(try JournalBatch.takeCurrent())::jsonb)
            """, logger: logger)
        // The locked tree with this ranking, as reading it again would give it, without locking and reading
        // it again: other contributors' submits wait for every round trip made under the lock.
        let ranked = tree.applyingRanking(
            RankingSubmission(parentID: parentID, userID: userID, rankedMessageIDs: rankedIDs, notRankable: notRankable))
        try await trees.apply(TreeTransitions.evaluate(ranked, config), to: ranked, actor: userID, config: config, on: connection)
    }

    /// Skips a task; its message is not offered to this user again for that kind of work.
    public func skip(taskID: UUID, userID: UUID, reason: String?) async throws {
        try await database.transaction { connection in
            let task = try await openTask(taskID, userID: userID, on: connection)
            if let messageID = task.choice.subjectMessageID {
                // The skip marker changes the message; its tree is taken first, as in every tree transaction.
                _ = try await trees.lockTree(containing: messageID, on: connection)
            }
            try await connection.query("""
                UPDATE tasks SET skipped = true, skip_reason = \(reason.map { String($0.prefix(500)) }) WHERE id = \(taskID)
                """, logger: logger)
            if let messageID = task.choice.subjectMessageID, let marker = EmojiCode.skipMarker(for: task.kind) {
                try await Reactions.add(marker, messageID: messageID, userID: userID, on: connection, logger: logger)
            }
            if case .reply(_, _, let treeID) = task.choice {
                // Many skips of the same reply halt a tree nobody wants to continue.
                try await Reactions(database: database, config: config).moderateAutomatically(treeID, on: connection)
            }
        }
    }

    // MARK: - Pieces

    /// Runs a submission in one transaction. When the tree changed under the task, the task can never be
    /// finished: it is closed as skipped, so it no longer counts against the contributor's pending tasks.
    private func submission<Result: Sendable>(
        _ taskID: UUID, userID: UUID, _ work: (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        do {
            return try await database.transaction(work)
        } catch TaskFailure.treeChanged {
            try await database.withConnection { connection in
                try await connection.query("""
                    UPDATE tasks SET skipped = true, skip_reason = 'tree changed' WHERE id = \(taskID) AND user_id = \(userID) AND NOT done
                    """, logger: logger)
            }
            throw TaskFailure.treeChanged
        }
    }

    private func store(_ choice: TaskChoice, for userID: UUID, on connection: PostgresConnection) async throws -> StoredTask {
        let id = UUID()
        let now = Date()
        let expires = now.addingTimeInterval(limits.taskValiditySeconds)
        let payload = String(decoding: try JSONEncoder().encode(choice), as: UTF8.self)
        var treeID: UUID?
        switch choice {
        case .initialPrompt: treeID = nil
        case .reply(_, _, let tree), .label(_, _, let tree, _), .ranking(_, _, let tree, _, _): treeID = tree
        }
        try await connection.query("""
            INSERT INTO tasks (id, kind, user_id, tree_id, parent_message_id, payload, created_at, expires_at)
            VALUES (\(id), \(choice.kind.rawValue), \(userID), \(treeID), \(choice.subjectMessageID), \(payload)::jsonb, \(now), \(expires))
            """, logger: logger)
        return StoredTask(id: id, userID: userID, choice: choice, createdAt: now, expiresAt: expires, done: false, skipped: false)
    }

    private func load(_ id: UUID, userID: UUID, lock: Bool, on connection: PostgresConnection) async throws -> StoredTask? {
        guard lock else {
            for try await row in try await connection.execute(TaskStatements.Load(taskID: id, userID: userID), logger: logger) {
                return Self.task(row)
            }
            return nil
        }
        for try await row in try await connection.query("""
            SELECT id, user_id, payload::text, created_at, expires_at, done, skipped FROM tasks
            WHERE id = \(id) AND user_id = \(userID) FOR NO KEY UPDATE
            """, logger: logger).decode(TaskStatements.Load.Row.self) {
            return Self.task(row)
        }
        return nil
    }

    /// A task row as `TaskStatements.Load` reads it; nil when its payload is not a task this version knows.
    private static func task(_ row: TaskStatements.Load.Row) -> StoredTask? {
        guard let choice = try? JSONDecoder().decode(TaskChoice.self, from: Data(row.2.utf8)) else { return nil }
        return StoredTask(id: row.0, userID: row.1, choice: choice, createdAt: row.3, expiresAt: row.4, done: row.5, skipped: row.6)
    }

    /// The user's task, locked, still open and not expired.
    private func openTask(_ id: UUID, userID: UUID, on connection: PostgresConnection) async throws -> StoredTask {
        guard let task = try await load(id, userID: userID, lock: true, on: connection) else { throw TaskFailure.notFound }
        if task.done || task.skipped { throw TaskFailure.rejected(.taskAlreadyDone) }
        if TaskLimits.isExpired(createdAt: task.createdAt, now: Date(), limits) { throw TaskFailure.rejected(.taskExpired) }
        return task
    }

    /// The user's open task, marked done in the submission's transaction (rolled back with it when the
    /// submission is refused) and returned as it was, with its tree's row locked and read in the same
    /// statement, and, for a task that writes a text, the user's recent texts. Marking it done at the end,
    /// locking the tree, and reading the texts each cost a round trip of their own; the one at the end was
    /// made while the tree was locked and other submits waited for it.
    private func claimTask(_ id: UUID, userID: UUID, on connection: PostgresConnection) async throws -> Claimed {
        let since = Date().addingTimeInterval(-limits.duplicateMessageWindowSeconds)
        let claim = TaskStatements.Claim(taskID: id, userID: userID, writing: Self.writingKinds, since: since)
        var claimed: Claimed?
        for try await row in try await connection.execute(claim, logger: logger) {
            // As it was before this claim: open.
            guard let task = Self.task((row.0, row.1, row.2, row.3, row.4, false, false)) else { throw TaskFailure.notFound }
            var tree: LockedTree?
            if let treeID = row.5, let state = row.6, let active = row.7, let lang = row.8, let goal = row.9, let depth = row.10,
               let children = row.11, let version = row.13 {
                tree = TreeStore.TreeRow.versioned((treeID, state, active, lang, goal, depth, children, row.12, version))
            }
            let recent = zip(row.14 ?? [], row.15 ?? []).map { RecentText(text: $0, createdAt: $1) }
            claimed = Claimed(task: task, lockedTree: tree, recentTexts: recent)
        }
        guard let claimed else {
            // Nothing open to claim: say whether the task is someone else's, missing, or already closed.
            guard try await load(id, userID: userID, lock: false, on: connection) != nil else { throw TaskFailure.notFound }
            throw TaskFailure.rejected(.taskAlreadyDone)
        }
        if TaskLimits.isExpired(createdAt: claimed.task.createdAt, now: Date(), limits) { throw TaskFailure.rejected(.taskExpired) }
        return claimed
    }

    /// A claimed task, its locked tree, and the user's recent texts when the task writes one.
    struct Claimed {
        let task: StoredTask
        let lockedTree: LockedTree?
        let recentTexts: [RecentText]
    }

    /// The kinds of task whose answer is a text (prompts and replies), checked against the user's recent texts.
    private static let writingKinds = TaskKind.allCases.filter { $0.taskClass == .prompt || $0.taskClass == .reply }.map(\.rawValue)

    /// The snapshot of the task's tree, whose row `claimTask` locked; nil when the tree is gone.
    private func snapshot(of treeID: UUID, _ locked: LockedTree?, on connection: PostgresConnection) async throws -> TreeSnapshot? {
        guard let locked, locked.row.id == treeID else { return nil }
        return try await trees.snapshot(ofLocked: locked, on: connection)
    }

    /// What the user may be given now: one statement reads what the choice depends on (`TaskStatements.Candidates`).
    /// Only when the prompt lottery has trees to activate (rarely) are the counts and active trees read again after it.
    private func candidates(
        for userID: UUID, lang: String, lotteryActivations: Int, checkingPendingTasks: Bool = false
    ) async throws -> TaskCandidates {
        let since = Date().addingTimeInterval(-Double(config.recentTasksSpanSeconds))
        let (read, readActive) = try await database.withConnection { connection in
            var read: TaskStatements.Candidates.Read?
            for try await row in try await connection.execute(TaskStatements.Candidates(userID: userID, since: since, lang: lang), logger: logger) {
                read = row
            }
            guard let read else { throw TaskFailure.notFound }
            return (read, try await trees.activeTrees(read.activeTrees, lang: lang, on: connection))
        }
        if checkingPendingTasks, !TaskLimits.allowsNewTask(pendingTaskCreationDates: read.pendingTaskDates, now: Date(), config) {
            throw TaskFailure.rejected(.tooManyPendingTasks(limit: config.maxPendingTasksPerUser))
        }
        var counts = read.counts, active = readActive
        if PromptLottery.treesToActivate(counts, maxActivations: lotteryActivations, config) > 0 {
            (counts, active) = try await database.withConnection { connection in
                let counts = try await runLottery(lang: lang, activations: lotteryActivations, on: connection)
                return (counts, try await trees.activeTrees(lang: lang, on: connection))
            }
        }
        let (context, openReplies) = Self.contributor(userID, read)
        let missing = PromptLottery.missingPrompts(counts, lang: lang, config)
        return CandidateRules.candidates(
            in: active, for: context, softLockedParents: TaskLimits.softLockedParents(openReplies, now: Date(), config),
            missingPrompts: missing, config
        )
    }

    /// What this user already did (skips, labels, rankings) and everyone's reply tasks still open, from the
    /// arrays `TaskStatements.Candidates` read.
    private static func contributor(_ userID: UUID, _ read: TaskStatements.Candidates.Read) -> (ContributorContext, [OpenReplyTask]) {
        var context = ContributorContext(userID: userID)
        for (id, emoji) in zip(read.skippedMessages, read.skipEmojis) {
            if let code = EmojiCode(rawValue: emoji) { context.skipped[code, default: []].insert(id) }
        }
        context.labeledMessageIDs.formUnion(read.labeledMessages)
        context.rankedParentIDs.formUnion(read.rankedParents)
        let openReplies = zip(read.openReplyParents, read.openReplyTimes).map { OpenReplyTask(parentID: $0, createdAt: $1) }
        return (context, openReplies)
    }

    private func taskReviews(of messageID: UUID, on connection: PostgresConnection) async throws -> [(reviewer: UUID, values: LabelValues)] {
        var reviews: [(reviewer: UUID, values: LabelValues)] = []
        for try await (reviewer, json) in try await connection.query("""
            SELECT user_id, "values"::text FROM labels WHERE message_id = \(messageID) AND kind = 'task'
            """, logger: logger).decode((UUID, String).self) {
            reviews.append((reviewer, LabelJSON.decode(json)))
        }
        return reviews
    }

    private func stateCounts(lang: String, on connection: PostgresConnection) async throws -> PromptLottery.LanguageCounts {
        var counts = PromptLottery.LanguageCounts(growing: 0, initialPromptReview: 0, promptLotteryWaiting: 0)
        for try await (state, count) in try await connection.execute(TaskStatements.StateCounts(lang: lang), logger: logger) {
            switch TreeState(rawValue: state) {
            case .growing?: counts.growing = count
            case .initialPromptReview?: counts.initialPromptReview = count
            case .promptLotteryWaiting?: counts.promptLotteryWaiting = count
            default: break
            }
        }
        return counts
    }

    /// Moves accepted prompts from the lottery into growing while there is room; the language's state counts after.
    private func runLottery(lang: String, activations: Int, on connection: PostgresConnection) async throws -> PromptLottery.LanguageCounts {
        let counts = try await stateCounts(lang: lang, on: connection)
        let wanted = PromptLottery.treesToActivate(counts, maxActivations: activations, config)
        guard wanted > 0 else { return counts }
        var entries: [PromptLottery.Entry] = []
        for try await (tree, author, firsts) in try await connection.query("""
            SELECT t.id, m.author_id,
                   (SELECT count(*)::int FROM messages r WHERE r.author_id = m.author_id AND r.rank = 0
                      AND r.created_at > now() - interval '30 days')
            FROM message_trees t JOIN messages m ON m.id = t.id JOIN users u ON u.id = m.author_id
            WHERE t.state = 'prompt_lottery_waiting' AND t.lang = \(lang) AND m.review_result AND NOT m.deleted
              AND NOT u.banned AND NOT u.deleted
            ORDER BY t.created_at LIMIT 1000
            """, logger: logger).decode((UUID, UUID, Int).self) {
            entries.append(PromptLottery.Entry(treeID: tree, authorID: author, authorRankedFirstThisMonth: firsts))
        }
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<wanted {
            guard let winner = PromptLottery.draw(entries, using: &rng) else { break }
            entries.removeAll { $0.treeID == winner }
            try await connection.query("BEGIN", logger: logger)
            do {
                if let tree = try await trees.lockedSnapshot(winner, on: connection) {
                    let decision = PromptLottery.activation(of: tree)
                    try await trees.apply(decision, to: tree, actor: nil, config: config, on: connection)
                }
                try await connection.query("COMMIT", logger: logger)
            } catch {
                _ = try? await connection.query("ROLLBACK", logger: logger)
                throw error
            }
        }
        return try await stateCounts(lang: lang, on: connection)
    }
}
