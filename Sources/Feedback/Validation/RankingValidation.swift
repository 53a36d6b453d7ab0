import Foundation

public enum RankingValidation {
    /// Turns positions into message ids, best first. `positions[k]` is the index into `offeredIDs` of the
    /// k-th best reply (Open Assistant's `MessageRanking.ranking`); it must be a permutation of the offered indices.
    public static func rankedIDs(positions: [Int], offeredIDs: [UUID]) -> Result<[UUID], SubmissionError> {
        guard positions.count == offeredIDs.count, positions.sorted() == Array(offeredIDs.indices) else {
            return .failure(.rankingNotAPermutation)
        }
        return .success(positions.map { offeredIDs[$0] })
    }

    /// Checks a ranking given directly as ids, best first: exactly the offered replies, each once.
    public static func validate(rankedIDs: [UUID], offeredIDs: [UUID]) -> SubmissionError? {
        let offered = Set(offeredIDs)
        if rankedIDs.contains(where: { !offered.contains($0) }) { return .rankingNamesForeignReplies }
        if rankedIDs.count != offeredIDs.count || Set(rankedIDs).count != rankedIDs.count {
            return .rankingNotAPermutation
        }
        return nil
    }

    /// Ranks from a form where each reply got a place 1...n from a select; places must be distinct.
    /// Returns the ids best first.
    public static func rankedIDs(places: [UUID: Int], offeredIDs: [UUID]) -> Result<[UUID], SubmissionError> {
        if places.keys.contains(where: { !offeredIDs.contains($0) }) { return .failure(.rankingNamesForeignReplies) }
        let n = offeredIDs.count
        guard places.count == n, Set(places.values) == Set(1...max(n, 1)), n > 0 else {
            return .failure(.rankingNotAPermutation)
        }
        return .success(offeredIDs.sorted { places[$0]! < places[$1]! })
    }

    /// A ranking by someone who wrote none of the replies and has not ranked this parent yet.
    public static func validateRanker(
        _ userID: UUID, replies: [MessageSnapshot], alreadyRankedByUser: Bool
    ) -> SubmissionError? {
        if replies.contains(where: { $0.authorID == userID }) { return .selfRanking }
        if alreadyRankedByUser { return .alreadyRanked }
        return nil
    }
}
