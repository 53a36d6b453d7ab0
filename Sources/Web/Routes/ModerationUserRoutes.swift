import Feedback
import Foundation
import Hummingbird
import Storage

/// Moderators' view of people: search, a user's messages, notes, role, ban and unban, and what was done
/// to them according to the audit log.
struct ModerationUserRoutes {
    let views: Views
    let people: UserModeration
    let search: MessageSearch
    let audit: AuditLog
    let leaderboard: Leaderboard

    func register(on router: Router<AppRequestContext>) {
        router.get("/moderation/users", use: list)
        router.get("/moderation/users/:id", use: show)
        router.post("/moderation/users/:id/notes", use: notes)
        router.post("/moderation/users/:id/ban", use: ban)
        router.post("/moderation/users/:id/unban", use: unban)
        router.post("/moderation/users/:id/role", use: role)
    }

    @Sendable func list(request: Request, context: AppRequestContext) async throws -> Response {
        _ = try context.requireRole(.moderator)
        let query = String(request.uri.queryParameters["q"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard query.count <= 200 else { throw AppError.badRequest("The search is too long; 200 characters at most.") }
        let found = try await people.search(query)
        let rows: [[String: Any]] = found.map { user in
            [
                "name": user.displayName ?? "(no name yet)", "href": "/moderation/users/\(user.id.uuidString.lowercased())",
                "role": user.role.rawValue, "banned": user.banned, "deleted": user.deleted, "since": DateText.minute(user.createdAt),
            ]
        }
        return try views.page("moderation_users", title: "Users", [
            "query": query, "rows": rows, "hasRows": !rows.isEmpty, "nav_users": true,
        ], context: context, section: "moderation").response
    }

    @Sendable func show(request: Request, context: AppRequestContext) async throws -> Response {
        let viewer = try context.requireRole(.moderator)
        let id = try ModerationForm.id(context)
        guard let listed = try await people.find(id) else { throw AppError.notFound }
        let user = listed.user
        let messages = try await search.search(query: "", lang: nil, authorID: id, offset: 0, limit: 50)
        let entries = try await audit.entries(targetUser: id, limit: 50)
        let total = try await leaderboard.stats(of: id).first { $0.frame == .total }?.score ?? 0
        let roles: [[String: Any]] = User.Role.allCases.map { role in
            ["value": role.rawValue, "selected": role == user.role,
             "allowed": RoleRules.mayChange(actor: viewer.role.rawValue, actorIsTarget: viewer.id == id, from: user.role.rawValue, to: role.rawValue)]
        }
        return try views.page("moderation_user", title: user.displayName ?? "User", [
            "id": id.uuidString.lowercased(), "name": user.displayName ?? "(no name yet)", "email": user.email ?? "",
            "role": user.role.rawValue, "banned": user.banned, "bannedReason": user.bannedReason ?? "", "deleted": user.deleted,
            "since": DateText.minute(user.createdAt), "notes": listed.notes, "score": total, "level": Level.level(forScore: total),
            "roles": roles, "canChangeRole": viewer.role == .admin && viewer.id != id,
            "messages": messages.map(ModerationRoutes.messageRow), "hasMessages": !messages.isEmpty,
            "entries": entries.map(ModerationRoutes.auditRow), "hasEntries": !entries.isEmpty,
            "profileHref": "/users/\(id.uuidString.lowercased())",
        ], context: context, section: "moderation").response
    }

    @Sendable func notes(request: Request, context: AppRequestContext) async throws -> Response {
        let moderator = try context.requireRole(.moderator)
        let id = try ModerationForm.id(context)
        let text = context.form["notes"] ?? ""
        guard text.count <= 10_000 else { throw AppError.badRequest("Notes are limited to 10,000 characters.") }
        try await mapFailures { try await people.setNotes(text, of: id, moderator: moderator.id) }
        return redirect(to: "/moderation/users/\(id.uuidString.lowercased())")
    }

    @Sendable func ban(request: Request, context: AppRequestContext) async throws -> Response {
        try await setBanned(true, context: context)
    }

    @Sendable func unban(request: Request, context: AppRequestContext) async throws -> Response {
        try await setBanned(false, context: context)
    }

    private func setBanned(_ banned: Bool, context: AppRequestContext) async throws -> Response {
        let moderator = try context.requireRole(.moderator)
        let id = try ModerationForm.id(context)
        let reason = try ModerationForm.reason(context, for: banned ? .ban : .unban)
        guard id != moderator.id else { throw AppError.badRequest("You cannot ban yourself.") }
        if banned, let target = try await people.find(id), target.user.role >= .moderator, moderator.role != .admin {
            throw AppError.forbidden("Only an admin can ban a moderator or an admin.")
        }
        try await mapFailures { try await people.setBanned(banned, userID: id, moderator: moderator.id, reason: reason) }
        return redirect(to: "/moderation/users/\(id.uuidString.lowercased())")
    }

    @Sendable func role(request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.requireRole(.moderator)
        let id = try ModerationForm.id(context)
        guard let role = context.form["role"].flatMap(User.Role.init(rawValue:)) else {
            throw AppError.badRequest("Choose general, moderator or admin.")
        }
        let reason = try ModerationForm.reason(context, for: .setRole)
        do {
            try await people.setRole(role, userID: id, actor: actor, reason: reason)
        } catch UserModeration.Failure.notFound {
            throw AppError.notFound
        } catch UserModeration.Failure.roleChangeNotAllowed {
            throw AppError.forbidden(actor.role == .admin
                ? "You cannot change your own role."
                : "Moderators cannot grant the moderator or admin role, nor change the role of staff.")
        }
        return redirect(to: "/moderation/users/\(id.uuidString.lowercased())")
    }

    private func mapFailures(_ work: () async throws -> Void) async throws {
        do {
            try await work()
        } catch UserModeration.Failure.notFound {
            throw AppError.notFound
        }
    }
}
