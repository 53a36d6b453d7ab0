import Feedback

/// The counter columns shared by `user_stat_hours` and `user_stats`, in one order, tied to `ContributionCounts`.
enum StatColumns {
    static let all: [(name: String, keyPath: WritableKeyPath<ContributionCounts, Int>)] = [
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

    /// The one column an action increments (nil for a consensus rank below the third, which earns nothing).
    static func column(for action: ScoredAction) -> String? {
        let before = ContributionCounts()
        let after = before.recording([action])
        return all.first { after[keyPath: $0.keyPath] != before[keyPath: $0.keyPath] }?.name
    }
}
