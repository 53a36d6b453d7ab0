import Feedback
import Foundation

/// What `oasst export` selects and how it writes it. Defaults are Open Assistant's: exported trees only,
/// accepted non-deleted messages, no tree that holds a synthetic message.
public struct ExportOptions: Sendable {
    public enum Format: String, Sendable, CaseIterable {
        /// One tree per line, replies nested and sorted by rank.
        case trees
        /// One message per line in the Hugging Face dataset's columns (OpenAssistant/oasst1, oasst2).
        case flat
        /// One conversation thread per line, for supervised fine-tuning.
        case sft
        /// `{prompt, chosen, rejected}` from consensus ranks, for reward models and DPO.
        case pairs
    }

    /// nil exports every state.
    public var state: TreeState? = .readyForExport
    public var lang: String?
    public var includeDeleted = false
    public var includeSpam = false
    public var includeSynthetic = false
    /// Only this author's messages; forces flat output because the trees would have holes.
    public var userID: UUID?
    public var exportLabels = false
    public var exportEvents = false
    public var anonymizerSeed: String?
    public var format: Format = .trees
    /// Training views keep only threads whose messages all rank below this (nil: every rank).
    public var topK: Int?
    /// Trees read per query: memory stays bounded by one page, whatever the database holds.
    public var pageSize = 500

    public init() {}

    /// The layout actually written: a per-user export cannot be a tree.
    var effectiveFormat: Format {
        if userID != nil && format == .trees { return .flat }
        return format
    }
}
