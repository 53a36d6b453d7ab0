import Feedback

/// The counter columns shared by `user_stat_hours` and `user_stats`, in one order, tied to `ContributionCounts`.
enum StatColumns {
    static let all: [(name: String, keyPath: WritableKeyPath<ContributionCounts, Int> & Sendable)] = [
        ("prompts", \.prompts),
        ("accepted_prompts", \.acceptedPrompts),
        ("replies_assistant", \.repliesAssistant),
        ("accepted_replies_assistant", \.acceptedRepliesAssistant),
        ("replies_prompter", \.repliesPrompter),
        ("accepted_replies_prompter", \.acceptedRepliesPrompter),
        ("labels_simple", \.labelsSimple),
        ("labels_full", \.labelsFull),
        ("rankings_total", \.rankingsTotal),
        ("rankings_good", \.rankingsGood),
        ("reply_ranked_1", \.replyRanked1),
        ("reply_ranked_2", \.replyRanked2),
        ("reply_ranked_3", \.replyRanked3),
    ]

    /// `col1, col2, ...`
    static let names = all.map(\.name).joined(separator: ", ")

    /// The counters as one integer array column, so any query can decode them as `[Int]`.
    static func array(prefix: String = "") -> String {
        "ARRAY[" + all.map { prefix + $0.name }.joined(separator: ", ") + "]::int8[]"
    }

    static func counts(_ values: [Int]) -> ContributionCounts {
        var counts = ContributionCounts()
        for (column, value) in zip(all, values) { counts[keyPath: column.keyPath] = value }
        return counts
    }

    /// `ScoringRules.leaderScore` as SQL over the counter columns (or expressions) `column(name)` names.
    static func scoreExpression(_ column: (String) -> String) -> String {
        ScoringRules.terms.map { term in
            let name = all.first { $0.keyPath == term.counter }!.name
            return "(\(column(name)) * \(term.points)) / \(term.perCount)"
        }.joined(separator: " + ")
    }

    /// For each column, `count(*) FILTER (...)` over journal rows `j` that increment it, in column order.
    /// Built from `ScoredAction.everyCounted`, so the journal names live in one place.
    static let journalCounts: String = all.map { column in
        let conditions = ScoredAction.everyCounted.filter { Self.column(for: $0) == column.name }.map { action -> String in
            let entry = action.journalEntry
            let payload = entry.payload.sorted { $0.key < $1.key }.map { "j.payload ->> '\($0.key)' = '\($0.value)'" }
            return "(" + (["j.action = '\(entry.action)'"] + payload).joined(separator: " AND ") + ")"
        }
        return "count(*) FILTER (WHERE \(conditions.isEmpty ? "false" : conditions.joined(separator: " OR ")))"
    }.joined(separator: ", ")

    /// The one column an action increments (nil for a consensus rank below the third, which earns nothing).
    static func column(for action: ScoredAction) -> String? {
        let before = ContributionCounts()
        let after = before.recording([action])
        return all.first { after[keyPath: $0.keyPath] != before[keyPath: $0.keyPath] }?.name
    }
}
