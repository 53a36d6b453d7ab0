import Feedback
import Foundation
import Hummingbird
import Storage

/// Everything that asks the assistant for text or reacts to it: send, edit, retry (with drafts),
/// continue, stop, thumbs, report and picking a draft. Each answers with a redirect to the chat, so
/// the forms work without JavaScript.
struct ChatReplyRoutes {
    let chats: ChatStore
    let limits: RateLimitStore
    let chatLimits: ChatLimits
    let modelName: String?

    func register(on router: Router<AppRequestContext>) {
        router.post("/chats/:chat/messages", use: send)
        router.post("/chats/:chat/messages/:message/edit", use: edit)
        router.post("/chats/:chat/messages/:message/retry", use: retry)
        router.post("/chats/:chat/messages/:message/continue", use: continueReply)
        router.post("/chats/:chat/messages/:message/stop", use: stop)
        router.post("/chats/:chat/messages/:message/vote", use: vote)
        router.post("/chats/:chat/messages/:message/report", use: report)
        router.post("/chats/:chat/messages/:message/pick", use: pick)
    }

    @Sendable func send(request: Request, context: AppRequestContext) async throws -> Response {
        let (user, chat) = try await target(context)
        let parent = try context.form["parent"].flatMap { $0.isEmpty ? nil : $0 }.map { raw -> UUID in
            guard let id = UUID(uuidString: raw) else { throw AppError.badRequest("That message does not exist.") }
            return id
        }
        let ids = try await countingReply(user) {
            try await chats.send(context.form["text"] ?? "", chatID: chat.id, userID: user.id, parentID: parent, plan: plan(for: chat))
        }
        return redirect(to: "/chats/\(ChatView.id(chat.id))?at=\(ChatView.id(ids.reply))#bottom")
    }

    /// Editing a message adds a sibling with the new text, so the old branch stays one click away.
    @Sendable func edit(request: Request, context: AppRequestContext) async throws -> Response {
        let (user, chat) = try await target(context)
        let original = try await entry(context, chat: chat, user: user)
        guard original.role == .prompter else { throw AppError.badRequest("Only your own messages can be edited.") }
        let ids = try await countingReply(user) {
            try await chats.send(context.form["text"] ?? "", chatID: chat.id, userID: user.id, parentID: original.parentID, plan: plan(for: chat))
        }
        return redirect(to: "/chats/\(ChatView.id(chat.id))?at=\(ChatView.id(ids.reply))#bottom")
    }

    /// Another reply to the same message; `drafts` 2 or 3 writes several side by side to choose from.
    @Sendable func retry(request: Request, context: AppRequestContext) async throws -> Response {
        let (user, chat) = try await target(context)
        let reply = try await entry(context, chat: chat, user: user)
        guard reply.role == .assistant, let prompter = reply.parentID else { throw AppError.badRequest("Only the assistant's replies can be retried.") }
        let drafts = Int(context.form["drafts"] ?? "1") ?? 0
        let ids = try await countingReply(user) {
            try await chats.retry(prompter, chatID: chat.id, userID: user.id, drafts: drafts, plan: plan(for: chat))
        }
        return redirect(to: "/chats/\(ChatView.id(chat.id))?at=\(ChatView.id(ids[0]))#bottom")
    }

    @Sendable func continueReply(request: Request, context: AppRequestContext) async throws -> Response {
        let (user, chat) = try await target(context)
        let reply = try await entry(context, chat: chat, user: user)
        try await countingReply(user) { try await chats.continueReply(reply.id, chatID: chat.id, userID: user.id) }
        return redirect(to: "/chats/\(ChatView.id(chat.id))?at=\(ChatView.id(reply.id))#bottom")
    }

    @Sendable func stop(request: Request, context: AppRequestContext) async throws -> Response {
        let (user, chat) = try await target(context)
        let reply = try await entry(context, chat: chat, user: user)
        try await chats.requestStop(reply.id, chatID: chat.id, userID: user.id)
        return redirect(to: "/chats/\(ChatView.id(chat.id))?at=\(ChatView.id(reply.id))#bottom")
    }

    /// Thumbs up or down; choosing the same thumb again takes it back.
    @Sendable func vote(request: Request, context: AppRequestContext) async throws -> Response {
        let (user, chat) = try await target(context)
        let reply = try await entry(context, chat: chat, user: user)
        guard reply.role == .assistant else { throw AppError.badRequest("Only the assistant's replies take votes.") }
        guard let score = Int(context.form["score"] ?? ""), score == 1 || score == -1 else {
            throw AppError.badRequest("A vote is thumbs up (1) or thumbs down (-1).")
        }
        try await chats.vote(reply.id, chatID: chat.id, userID: user.id, score: reply.score == score ? 0 : score)
        return redirect(to: "/chats/\(ChatView.id(chat.id))?at=\(ChatView.id(reply.id))")
    }

    @Sendable func report(request: Request, context: AppRequestContext) async throws -> Response {
        let (user, chat) = try await target(context)
        let reply = try await entry(context, chat: chat, user: user)
        guard reply.role == .assistant else { throw AppError.badRequest("Only the assistant's replies can be reported.") }
        let reason = (context.form["reason"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        try await chats.report(reply.id, chatID: chat.id, userID: user.id, reason: reason.isEmpty ? "no reason given" : reason)
        return redirect(to: "/chats/\(ChatView.id(chat.id))?at=\(ChatView.id(reply.id))&reported=1")
    }

    @Sendable func pick(request: Request, context: AppRequestContext) async throws -> Response {
        let (user, chat) = try await target(context)
        let reply = try await entry(context, chat: chat, user: user)
        do {
            try await chats.pickDraft(reply.id, chatID: chat.id, userID: user.id)
        } catch ChatFailure.notFound {
            throw AppError.badRequest("That reply is not one of a set of drafts.")
        }
        return redirect(to: "/chats/\(ChatView.id(chat.id))?at=\(ChatView.id(reply.id))#bottom")
    }

    // MARK: - shared steps

    private func target(_ context: AppRequestContext) async throws -> (User, Chat) {
        let user = try context.requireUser()
        do {
            return (user, try await chats.chat(try ChatRoutes.uuid(context, "chat"), userID: user.id))
        } catch ChatFailure.notFound {
            throw AppError.notFound
        }
    }

    private func entry(_ context: AppRequestContext, chat: Chat, user: User) async throws -> ChatEntry {
        do {
            return try await chats.entry(try ChatRoutes.uuid(context, "message"), chatID: chat.id, userID: user.id)
        } catch ChatFailure.notFound {
            throw AppError.notFound
        }
    }

    private func plan(for chat: Chat) throws -> ChatStore.ReplyPlan {
        guard let modelName else { throw AppError.unavailable("This server has no model to chat with right now.") }
        let parameters = ReplyParameters.forChat(preset: chat.preset, systemPrompt: chat.systemPrompt, maxNewTokens: chatLimits.maxNewTokens)
        return .init(parametersJSON: parameters.json, model: modelName)
    }

    /// Runs `work` under the per-user reply limit (20 per 10 minutes by default), shared with the API,
    /// turning the chat rules' refusals into pages.
    private func countingReply<T: Sendable>(_ user: User, _ work: () async throws -> T) async throws -> T {
        do {
            return try await ChatAdmission.countReply(user, limits: limits, chatLimits: chatLimits, work)
        } catch let refusal as ChatRules.Refusal {
            throw ChatAdmission.appError(refusal)
        } catch ChatFailure.notFound {
            throw AppError.notFound
        }
    }
}
