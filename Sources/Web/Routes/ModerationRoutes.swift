import Feedback
import Foundation
import Hummingbird
import Storage

/// The moderators' tools for content: the flag queue, message search, delete and restore, edits with
/// their history, halting and restarting trees, the trollboard and the audit log. Every handler checks
/// the role first.
struct ModerationRoutes {
    let views: Views
    let trees: TreeStore
    let flags: FlagQueue
    let content: ContentModeration
    let search: MessageSearch
    let trollboard: Trollboard
    let audit: AuditLog
    static let pageSize = 50

    func register(on router: Router<AppRequestContext>) {
        router.get("/moderation", use: queue)
        router.post("/moderation/flags/:id/resolve", use: resolve)
        router.get("/moderation/messages", use: messages)
        router.get("/moderation/messages/:id", use: message)
        router.post("/moderation/messages/:id/delete", use: delete)
        router.post("/moderation/messages/:id/undelete", use: undelete)
        router.post("/moderation/messages/:id/edit", use: edit)
        router.post("/moderation/trees/:id/halt", use: halt)
        router.post("/moderation/trees/:id/restart", use: restart)
        router.get("/moderation/trollboard", use: trolls)
        router.get("/moderation/audit", use: auditPage)
    }

    @Sendable func queue(request: Request, context: AppRequestContext) async throws -> Response {
        _ = try context.requireRole(.moderator)
        var items: [[String: Any]] = []
        for item in try await flags.pending() {
            let path = try await trees.conversation(endingAt: item.messageID)
            let conversation: [[String: Any]] = path.map { message in
                var values = MessageView.values(message, showModeration: true)
                values["flagged"] = message.id == item.messageID
                return values
            }
            items.append([
                "messageID": item.messageID.uuidString.lowercased(), "treeID": item.treeID.uuidString.lowercased(),
                "reason": item.reason, "reporter": item.reporterName ?? "automatic moderation", "flaggedAt": DateText.minute(item.flaggedAt),
                "reports": item.reports.filter { !$0.isEmpty }, "hasMoreReports": item.reports.filter { !$0.isEmpty }.count > 1,
                "conversation": conversation,
                "deleted": path.last?.deleted ?? false,
            ])
        }
        return try views.page("moderation_queue", title: "Flag queue", [
            "items": items, "hasItems": !items.isEmpty, "pending": try await flags.pendingCount(), "nav_queue": true,
        ], context: context, section: "moderation").response
    }

    @Sendable func resolve(request: Request, context: AppRequestContext) async throws -> Response {
        let moderator = try context.requireRole(.moderator)
        let id = try ModerationForm.id(context)
        let note = try ModerationForm.reason(context, for: .resolveFlag)
        guard try await flags.resolve(messageID: id, moderator: moderator.id, note: note) else {
            throw AppError.conflict("This report was already resolved, or the message was never reported.")
        }
        return ModerationForm.back(context, fallback: "/moderation")
    }

    @Sendable func messages(request: Request, context: AppRequestContext) async throws -> Response {
        _ = try context.requireRole(.moderator)
        let query = String(request.uri.queryParameters["q"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard query.count <= 200 else { throw AppError.badRequest("The search is too long; 200 characters at most.") }
        let langs = try await search.languages()
        let lang = request.uri.queryParameters["lang"].map(String.init).flatMap { $0.isEmpty ? nil : $0 }
        if let lang, !langs.contains(lang) { throw AppError.badRequest("There are no messages in “\(lang.prefix(20))”.") }
        let pageNumber = try LeaderboardRoutes.pageNumber(request.uri.queryParameters["page"].map(String.init))
        let found = try await search.search(query: query, lang: lang, offset: (pageNumber - 1) * Self.pageSize, limit: Self.pageSize + 1)
        let rows: [[String: Any]] = found.prefix(Self.pageSize).map(Self.messageRow)
        var values: [String: Any] = [
            "query": query, "rows": rows, "hasRows": !rows.isEmpty, "page": pageNumber, "nav_messages": true,
            "langs": langs.map { ["code": $0, "selected": $0 == lang] },
        ]
        let base = "/moderation/messages?q=\(QueryText.encode(query))&lang=\(QueryText.encode(lang ?? ""))"
        if pageNumber > 1 { values["previousHref"] = "\(base)&page=\(pageNumber - 1)" }
        if found.count > Self.pageSize { values["nextHref"] = "\(base)&page=\(pageNumber + 1)" }
        return try views.page("moderation_messages", title: "Messages", values, context: context, section: "moderation").response
    }

    @Sendable func message(request: Request, context: AppRequestContext) async throws -> Response {
        _ = try context.requireRole(.moderator)
        let id = try ModerationForm.id(context)
        guard let (tree, messages) = try await trees.tree(containing: id), let message = messages.first(where: { $0.id == id }) else {
            throw AppError.notFound
        }
        let revisions = try await content.revisions(of: id).map { revision -> [String: Any] in
            ["text": revision.text, "editor": revision.editorName ?? "unknown", "at": DateText.minute(revision.createdAt)]
        }
        var values = MessageView.values(message, showModeration: true)
        values.merge([
            "text": message.text, "lang": message.lang,
            "treeID": tree.id.uuidString.lowercased(), "treeState": tree.state.rawValue.replacingOccurrences(of: "_", with: " "),
            "halted": tree.state == .haltedByModerator,
            "revisions": revisions, "hasRevisions": !revisions.isEmpty,
            "authorHref": message.authorID.map { "/moderation/users/\($0.uuidString.lowercased())" } ?? "",
            "returnTo": "/moderation/messages/\(id.uuidString.lowercased())",
        ]) { _, new in new }
        return try views.page("moderation_message", title: "Message", values, context: context, section: "moderation").response
    }

    @Sendable func delete(request: Request, context: AppRequestContext) async throws -> Response {
        let moderator = try context.requireRole(.moderator)
        let id = try ModerationForm.id(context)
        let reason = try ModerationForm.reason(context, for: .deleteSubtree)
        try await mapFailures { try await content.deleteSubtree(of: id, moderator: moderator.id, reason: reason) }
        return ModerationForm.back(context, fallback: "/moderation/messages/\(id.uuidString.lowercased())")
    }

    @Sendable func undelete(request: Request, context: AppRequestContext) async throws -> Response {
        let moderator = try context.requireRole(.moderator)
        let id = try ModerationForm.id(context)
        let reason = try ModerationForm.reason(context, for: .undeleteSubtree)
        try await mapFailures { try await content.undeleteSubtree(of: id, moderator: moderator.id, reason: reason) }
        return ModerationForm.back(context, fallback: "/moderation/messages/\(id.uuidString.lowercased())")
    }

    @Sendable func edit(request: Request, context: AppRequestContext) async throws -> Response {
        let moderator = try context.requireRole(.moderator)
        let id = try ModerationForm.id(context)
        let reason = try ModerationForm.reason(context, for: .editMessage)
        let text = (context.form["text"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { throw AppError.badRequest("A message cannot be empty; delete it instead.") }
        guard text.count <= 100_000 else { throw AppError.badRequest("The text is too long.") }
        try await mapFailures { try await content.edit(messageID: id, text: text, moderator: moderator.id, reason: reason) }
        return redirect(to: "/moderation/messages/\(id.uuidString.lowercased())")
    }

    @Sendable func halt(request: Request, context: AppRequestContext) async throws -> Response {
        let moderator = try context.requireRole(.moderator)
        let id = try ModerationForm.id(context)
        let reason = try ModerationForm.reason(context, for: .haltTree)
        try await mapFailures { try await content.halt(treeID: id, moderator: moderator.id, reason: reason) }
        return ModerationForm.back(context, fallback: "/moderation/messages/\(id.uuidString.lowercased())")
    }

    @Sendable func restart(request: Request, context: AppRequestContext) async throws -> Response {
        let moderator = try context.requireRole(.moderator)
        let id = try ModerationForm.id(context)
        let reason = try ModerationForm.reason(context, for: .restartTree)
        try await mapFailures { try await content.restart(treeID: id, moderator: moderator.id, reason: reason) }
        return ModerationForm.back(context, fallback: "/moderation/messages/\(id.uuidString.lowercased())")
    }

    @Sendable func trolls(request: Request, context: AppRequestContext) async throws -> Response {
        _ = try context.requireRole(.moderator)
        let frame = try TimeFrameTabs.parse(request.uri.queryParameters["frame"].map(String.init))
        let rows: [[String: Any]] = try await trollboard.rows(frame).enumerated().map { index, row in
            let s = row.signals
            return [
                "rank": index + 1, "name": row.displayName, "href": "/moderation/users/\(row.userID.uuidString.lowercased())",
                "banned": row.banned, "score": row.score, "redFlags": s.redFlags, "upvotes": s.upvotes, "downvotes": s.downvotes,
                "spamPrompts": s.spamPrompts,
                "flagLabels": s.langMismatch + s.notAppropriate + s.pii + s.hateSpeech + s.sexualContent + s.politicalContent,
            ]
        }
        return try views.page("moderation_trollboard", title: "Trollboard", [
            "tabs": TimeFrameTabs.values(selected: frame, path: "/moderation/trollboard"), "frameTitle": TimeFrameTabs.title(frame),
            "rows": rows, "hasRows": !rows.isEmpty, "nav_trollboard": true,
        ], context: context, section: "moderation").response
    }

    @Sendable func auditPage(request: Request, context: AppRequestContext) async throws -> Response {
        _ = try context.requireRole(.moderator)
        let pageNumber = try LeaderboardRoutes.pageNumber(request.uri.queryParameters["page"].map(String.init))
        let entries = try await audit.entries(offset: (pageNumber - 1) * Self.pageSize, limit: Self.pageSize + 1)
        var values: [String: Any] = [
            "entries": entries.prefix(Self.pageSize).map(Self.auditRow), "hasEntries": !entries.isEmpty, "page": pageNumber, "nav_audit": true,
        ]
        if pageNumber > 1 { values["previousHref"] = "/moderation/audit?page=\(pageNumber - 1)" }
        if entries.count > Self.pageSize { values["nextHref"] = "/moderation/audit?page=\(pageNumber + 1)" }
        return try views.page("moderation_audit", title: "Audit log", values, context: context, section: "moderation").response
    }

    @discardableResult
    private func mapFailures<Result>(_ work: () async throws -> Result) async throws -> Result {
        do {
            return try await work()
        } catch ContentModeration.Failure.notFound {
            throw AppError.notFound
        } catch ContentModeration.Failure.unchanged {
            throw AppError.conflict("Nothing changed: the tree or message is already in that state.")
        }
    }

    static func messageRow(_ message: StoredMessage) -> [String: Any] {
        var values = MessageView.values(message, showModeration: true)
        values["excerpt"] = String(message.text.prefix(200))
        values["lang"] = message.lang
        values["at"] = DateText.minute(message.createdAt)
        values["href"] = "/moderation/messages/\(message.id.uuidString.lowercased())"
        return values
    }

    static func auditRow(_ entry: AuditLog.Entry) -> [String: Any] {
        var values: [String: Any] = [
            "at": DateText.minute(entry.createdAt), "actor": entry.actorName,
            "actorHref": "/moderation/users/\(entry.actorID.uuidString.lowercased())",
            "action": StaffAction(rawValue: entry.action)?.title ?? entry.action,
            "reason": entry.reason, "details": entry.details,
        ]
        if let target = entry.targetUserID {
            values["targetHref"] = "/moderation/users/\(target.uuidString.lowercased())"
            values["targetName"] = entry.targetUserName ?? "a user"
        }
        if let message = entry.messageID { values["messageHref"] = "/moderation/messages/\(message.uuidString.lowercased())" }
        if let tree = entry.treeID { values["treeHref"] = "/moderation/messages/\(tree.uuidString.lowercased())" }
        return values
    }
}
