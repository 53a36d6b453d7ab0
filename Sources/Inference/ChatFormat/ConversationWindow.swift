/// Left-truncation of a conversation to a token budget, keeping the system prompt.
///
/// Open Assistant keeps the system prompt and cuts the oldest conversation tokens (`truncate_prompt`).
/// We cut whole turns instead, so the model never sees half a sentence of an old message, and cut
/// inside a message only when the newest message alone is over budget (then its beginning goes).
public enum ConversationWindow {
    /// The system messages plus the newest turns whose formatted prompt is at most `budget` tokens long
    /// according to `length` (which formats and counts; it is called O(log n) times).
    /// - Throws: `GenerationError.promptTooLong` when even the system prompt with an empty last message
    ///   does not fit.
    public static func fit(
        _ messages: [ChatMessage], budget: Int, length: ([ChatMessage]) -> Int
    ) throws -> [ChatMessage] {
        let system = messages.filter { $0.role == .system }
        let turns = messages.filter { $0.role != .system }
        if length(messages) <= budget { return messages }
        guard let last = turns.last else {
            throw GenerationError.promptTooLong(tokens: length(messages), limit: budget)
        }

        // The largest number of newest turns that fits; fewer turns never make a longer prompt.
        var lo = 1, hi = turns.count - 1  // `turns.count` itself does not fit
        var kept = 0
        while lo <= hi {
            let mid = (lo + hi) / 2
            if length(system + turns.suffix(mid)) <= budget { kept = mid; lo = mid + 1 } else { hi = mid - 1 }
        }
        if kept > 0 {
            var window = Array(turns.suffix(kept))
            // A conversation should open with the user; an orphaned reply at the front only confuses.
            if window.count > 1 && window.first?.role == .assistant { window.removeFirst() }
            return system + window
        }

        // Only part of the newest message fits: keep its end, the longest suffix (in characters) that fits.
        let characters = Array(last.content)
        func trimmed(_ n: Int) -> [ChatMessage] {
            system + [ChatMessage(role: last.role, content: String(characters.suffix(n)))]
        }
        guard length(trimmed(0)) <= budget else {
            throw GenerationError.promptTooLong(tokens: length(trimmed(0)), limit: budget)
        }
        var low = 0, high = characters.count
        while low < high {
            let mid = (low + high + 1) / 2
            if length(trimmed(mid)) <= budget { low = mid } else { high = mid - 1 }
        }
        return trimmed(low)
    }
}
