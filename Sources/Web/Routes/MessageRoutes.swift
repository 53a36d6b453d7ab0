import Feedback
import Foundation
import Hummingbird
import Storage

/// Browsing a whole tree, with thumbs and a report button on every message. Deleted and spam
/// messages are shown only to moderators.
struct MessageRoutes {
    let views: Views
    let trees: TreeStore
    let reactions: Reactions

    func register(on router: Router<AppRequestContext>) {
        router.get("/messages/:id", use: show)
        router.post("/messages/:id/emoji", use: emoji)
        router.post("/messages/:id/report", use: report)
    }

    private func messageID(_ context: AppRequestContext) throws -> UUID {
        guard let raw = context.parameters.get("id"), let id = UUID(uuidString: raw) else { throw AppError.notFound }
        return id
    }

    @Sendable func show(request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let id = try messageID(context)
        guard let (tree, messages) = try await trees.tree(containing: id) else { throw AppError.notFound }
        let moderator = user.role >= .moderator
        let visible = messages.filter { moderator || (!$0.deleted && $0.reviewResult != false) }
        guard visible.contains(where: { $0.id == id }) else { throw AppError.notFound }
        // Depth-first, replies by rank then age, so the page reads as the tree.
        let summaries = try await trees.labelSummaries(of: visible.map(\.id))
        let children = Dictionary(grouping: visible.filter { $0.parentID != nil }, by: { $0.parentID! })
        var ordered: [[String: Any]] = []
        func walk(_ message: StoredMessage) {
            var values = MessageView.values(message, showModeration: moderator)
            values["indent"] = min(message.depth, 6)
            values["focused"] = message.id == id
            values["own"] = message.authorID == user.id
            values["hasLabels"] = !(summaries[message.id] ?? []).isEmpty
            values["labels"] = (summaries[message.id] ?? []).map { summary -> [String: Any] in
                ["name": summary.label.replacingOccurrences(of: "_", with: " "), "mean": String(format: "%.2f", summary.mean), "count": summary.count]
            }
            ordered.append(values)
            let replies = (children[message.id] ?? []).sorted { ($0.rank ?? Int.max, $0.createdAt) < ($1.rank ?? Int.max, $1.createdAt) }
            replies.forEach(walk)
        }
        visible.filter { $0.parentID == nil }.forEach(walk)
        return try views.page("tree", title: "Conversation", [
            "messages": ordered, "state": tree.state.rawValue.replacingOccurrences(of: "_", with: " "),
            "treeSize": visible.count, "returnTo": "/messages/\(id.uuidString.lowercased())", "isModerator": moderator,
        ], context: context, section: "tasks").response
    }

    @Sendable func emoji(request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let id = try messageID(context)
        guard let code = context.form["emoji"].flatMap(EmojiCode.init(rawValue:)), code == .thumbsUp || code == .thumbsDown else {
            throw AppError.badRequest("Only thumbs up and thumbs down can be given here.")
        }
        do {
            try await reactions.toggle(code, messageID: id, userID: user.id)
        } catch TaskFailure.notFound {
            throw AppError.notFound
        }
        return redirect(to: Self.safeReturn(context.form["return_to"], fallback: "/messages/\(id.uuidString.lowercased())"))
    }

    @Sendable func report(request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let id = try messageID(context)
        let reason = (context.form["reason"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        do {
            try await reactions.report(messageID: id, userID: user.id, reason: reason.isEmpty ? "no reason given" : reason)
        } catch TaskFailure.notFound {
            throw AppError.notFound
        }
        return redirect(to: Self.safeReturn(context.form["return_to"], fallback: "/messages/\(id.uuidString.lowercased())") + "#reported")
    }

    /// Only paths on this site: a form field must never send people elsewhere.
    static func safeReturn(_ path: String?, fallback: String) -> String {
        guard let path, path.hasPrefix("/"), !path.hasPrefix("//"), !path.contains("\\"), path.count < 300 else { return fallback }
        return path
    }
}
