import Feedback
import Foundation
import PostgresNIO

/// The statements of every task request, prepared once per pooled connection. Sent as plain queries, each was
/// parsed and planned again at every request: about half of Postgres's time for a task request, and on the
/// request's path while it waited. The values go in as bound parameters, as in every other query.
enum TaskStatements {
    /// The user's task, if it is theirs.
    struct Load: PreparedQuery {
        static let sql = """
            SELECT id, user_id, payload::text, created_at, expires_at, done, skipped FROM tasks WHERE id = $1 AND user_id = $2
            """
        static let bindingDataTypes: [PostgresDataType] = [.uuid, .uuid]
        typealias Row = (UUID, UUID, String, Date, Date, Bool, Bool)
        var taskID: UUID
        var userID: UUID

        var bound: [any PostgresThrowingDynamicTypeEncodable] { [taskID, userID] }

        func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
    }

    /// Marks the user's open task done and returns it, with its tree's row locked and read (see `TaskDesk.claimTask`),
    /// and, when it is a task of one of the `writing` kinds, the user's texts since `since` (the duplicate check).
    struct Claim: PreparedQuery {
        static let sql = """
            WITH claimed AS (
                UPDATE tasks SET done = true, done_at = now()
                WHERE id = $1 AND user_id = $2 AND NOT done AND NOT skipped
                RETURNING id, user_id, payload::text AS payload, created_at, expires_at, tree_id, kind
            )
            SELECT c.id, c.user_id, c.payload, c.created_at, c.expires_at, t.*, r.texts, r.times
            FROM claimed c LEFT JOIN LATERAL (
                SELECT \(TreeStore.TreeRow.versionedColumnList) FROM message_trees WHERE id = c.tree_id FOR NO KEY UPDATE
            ) t ON true LEFT JOIN LATERAL (
                SELECT array_agg(m.text) AS texts, array_agg(m.created_at) AS times FROM messages m
                WHERE c.kind = ANY($3) AND m.author_id = c.user_id AND m.created_at > $4
            ) r ON true
            """
        static let bindingDataTypes: [PostgresDataType] = [.uuid, .uuid, .textArray, .timestamptz]
        /// The task's columns, then the tree's `TreeRow.VersionedColumns` (all NULL for a task without a tree), then
        /// the recent texts and their times (NULL when there are none or the task writes none).
        typealias Row = (UUID, UUID, String, Date, Date, UUID?, String?, Bool?, String?, Int?, Int?, Int?, Date?, Int64?, [String]?, [Date]?)
        var taskID: UUID
        var userID: UUID
        var writing: [String]
        var since: Date

        var bound: [any PostgresThrowingDynamicTypeEncodable] { [taskID, userID, writing, since] }

        func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
    }

    /// Everything a task request reads before it chooses, as one row: the creation dates of the user's open tasks
    /// since `since`, the language's tree counts in the states the prompt lottery weighs, the listing of its active
    /// trees (`TreeStatements.ActiveTrees`), and what the user already did (skips, labels, rankings) with everyone's
    /// reply tasks open since `since`. Four statements on four pooled connections cost each request four backends
    /// woken and four replies awaited, and waited for the slowest; on two cores that was the tail of a request,
    /// not the work. As arrays, because a user's history grows with every task and as rows each item cost a row
    /// to receive and decode. NULL arrays where there is nothing.
    struct Candidates: PreparedQuery {
        static let sql = """
            SELECT p.dates, c.growing, c.review, c.waiting, a.*, s.ids, s.emojis, l.ids, k.ids, r.parents, r.created
            FROM (SELECT array_agg(created_at) AS dates FROM tasks
                  WHERE user_id = $1 AND NOT done AND NOT skipped AND created_at > $2) p,
                 (SELECT count(*) FILTER (WHERE state = 'growing')::int AS growing,
                         count(*) FILTER (WHERE state = 'initial_prompt_review')::int AS review,
                         count(*) FILTER (WHERE state = 'prompt_lottery_waiting')::int AS waiting
                  FROM message_trees WHERE lang = $3 AND state IN ('growing', 'initial_prompt_review', 'prompt_lottery_waiting')) c,
                 (\(TreeStatements.ActiveTrees.listing(lang: "$3"))) a,
                 (SELECT array_agg(message_id) AS ids, array_agg(emoji) AS emojis FROM message_emojis
                  WHERE user_id = $1 AND emoji LIKE '\\_skip%') s,
                 (SELECT array_agg(message_id) AS ids FROM labels WHERE user_id = $1 AND kind = 'task') l,
                 (SELECT array_agg(parent_message_id) AS ids FROM rankings WHERE user_id = $1) k,
                 (SELECT array_agg(parent_message_id) AS parents, array_agg(created_at) AS created FROM tasks
                  WHERE NOT done AND NOT skipped AND kind IN ('prompter_reply', 'assistant_reply')
                    AND parent_message_id IS NOT NULL AND created_at > $2) r
            """
        static let bindingDataTypes: [PostgresDataType] = [.uuid, .timestamptz, .text]
        typealias Row = Read
        var userID: UUID
        var since: Date
        var lang: String

        var bound: [any PostgresThrowingDynamicTypeEncodable] { [userID, since, lang] }

        /// The row, by name. Every part is an aggregate, so the statement always returns exactly one.
        struct Read {
            var pendingTaskDates: [Date]
            var counts: PromptLottery.LanguageCounts
            var activeTrees: [TreeStore.TreeRow.VersionedColumns]
            var skippedMessages: [UUID], skipEmojis: [String]
            var labeledMessages: [UUID], rankedParents: [UUID]
            var openReplyParents: [UUID], openReplyTimes: [Date]
        }

        func decodeRow(_ row: PostgresRow) throws -> Read {
            let r = try row.decode(([Date]?, Int, Int, Int,
                                    [UUID]?, [String]?, [Bool]?, [String]?, [Int]?, [Int]?, [Int]?, [Bool]?, [Date]?, [Int64]?,
                                    [UUID]?, [String]?, [UUID]?, [UUID]?, [UUID]?, [Date]?).self)
            return Read(
                pendingTaskDates: r.0 ?? [], counts: .init(growing: r.1, initialPromptReview: r.2, promptLotteryWaiting: r.3),
                activeTrees: TreeStatements.ActiveTrees.rows((r.4, r.5, r.6, r.7, r.8, r.9, r.10, r.11, r.12, r.13)),
                skippedMessages: r.14 ?? [], skipEmojis: r.15 ?? [], labeledMessages: r.16 ?? [], rankedParents: r.17 ?? [],
                openReplyParents: r.18 ?? [], openReplyTimes: r.19 ?? [])
        }
    }

    /// Trees of one language per state the prompt lottery weighs.
    struct StateCounts: PreparedQuery {
        static let sql = """
            SELECT state, count(*)::int FROM message_trees
            WHERE lang = $1 AND state IN ('growing', 'initial_prompt_review', 'prompt_lottery_waiting') GROUP BY state
            """
        static let bindingDataTypes: [PostgresDataType] = [.text]
        typealias Row = (String, Int)
        var lang: String

        var bound: [any PostgresThrowingDynamicTypeEncodable] { [lang] }

        func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
    }
}
