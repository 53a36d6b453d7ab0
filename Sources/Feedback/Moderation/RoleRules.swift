/// Who may give whom which role. Roles are ordered general < moderator < admin.
public enum RoleRules {
    public static let roles = ["general", "moderator", "admin"]

    private static func rank(_ role: String) -> Int? { roles.firstIndex(of: role) }

    /// Admins may set any role on anyone but themselves (so the last admin cannot lock everyone out by accident).
    /// Moderators may not grant moderator or admin, and may not change the role of staff at all.
    public static func mayChange(actor: String, actorIsTarget: Bool, from current: String, to new: String) -> Bool {
        guard let actorRank = rank(actor), let currentRank = rank(current), let newRank = rank(new) else { return false }
        if actorIsTarget { return false }
        if actor == "admin" { return true }
        guard actorRank >= 1 else { return false }
        return currentRank == 0 && newRank == 0
    }
}
