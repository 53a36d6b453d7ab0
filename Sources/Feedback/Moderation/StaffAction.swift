/// What a moderator or admin did, as written to the audit log.
public enum StaffAction: String, Sendable, CaseIterable, Codable {
    case resolveFlag = "resolve_flag"
    case deleteSubtree = "delete_subtree"
    case undeleteSubtree = "undelete_subtree"
    case editMessage = "edit_message"
    case haltTree = "halt_tree"
    case restartTree = "restart_tree"
    case ban
    case unban
    case setNotes = "set_notes"
    case setRole = "set_role"

    /// Actions that change what others see or can do need a stated reason in the audit log.
    public var needsReason: Bool {
        switch self {
        case .deleteSubtree, .undeleteSubtree, .editMessage, .haltTree, .restartTree, .ban, .unban, .setRole: return true
        case .resolveFlag, .setNotes: return false
        }
    }

    public var title: String {
        switch self {
        case .resolveFlag: return "resolved a report"
        case .deleteSubtree: return "deleted a subtree"
        case .undeleteSubtree: return "restored a subtree"
        case .editMessage: return "edited a message"
        case .haltTree: return "halted a tree"
        case .restartTree: return "restarted a tree"
        case .ban: return "banned a user"
        case .unban: return "unbanned a user"
        case .setNotes: return "changed notes"
        case .setRole: return "changed a role"
        }
    }
}
