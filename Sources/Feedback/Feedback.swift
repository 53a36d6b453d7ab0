/// # Feedback
///
/// The human-feedback rules of Open Assistant as pure functions: no I/O, no clock, no global randomness.
/// Storage loads plain snapshots, calls a rule, and applies the returned decision in one transaction.
///
/// - Trees: `TreeSnapshot` / `MessageSnapshot`; `ReviewRules.decision` after each review;
///   `TreeTransitions.evaluate` after any change (reviews, rankings, deletions, startup);
///   `AutoModeration.actions`; `PromptLottery`; `BacklogRules`; `TreeTransitions.halt/resume/abort`.
/// - Tasks: `CandidateRules.candidates` → `TaskAvailability` (dashboard counts) and `TaskPicker.pick`;
///   `TaskLimits` for the soft lock, the pending-task cap and expiry.
/// - Validation: `TextReplyValidation`, `LabelValidation`, `RankingValidation`, all reporting `SubmissionError`.
/// - Consensus: `RankedPairs`, `RankingConsensus` (with each voter's Kendall tau), `ConsensusJSON`.
/// - Scores: `ContributionCounts` built from `ScoredAction`s, `ScoringRules`, `Level`, `Streak`, `TimeFrame`,
///   `LeaderboardRules`, `TrollSignals`.
///
/// Every threshold lives in `TreeManagerConfiguration` and `SubmissionLimits`, with Open Assistant's defaults.
/// Randomness is injected (`some RandomNumberGenerator`); tests use `SeededRandomNumberGenerator`.
public enum FeedbackModule {}
