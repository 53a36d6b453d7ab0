import Foundation

/// What a rule decided for one tree. Storage applies it in the transaction that locked the tree row.
public struct TreeDecision: Sendable, Equatable {
    /// The states the tree passes through, in order (empty when it stays where it is). The last one is the
    /// state to store; `active` follows from it.
    public var transitions: [TreeState] = []
    /// Consensus ranks to write per message (nil clears a rank). Only set when the tree is scored.
    public var ranks: [UUID: Int?] = [:]
    /// An active tree just finished: Storage should ask `BacklogRules.shouldActivate` whether to pull a
    /// backlog tree of this language into ranking.
    public var finishedActiveTree = false

    public init() {}

    public var finalState: TreeState? { transitions.last }
    public var changesState: Bool { !transitions.isEmpty }
}
