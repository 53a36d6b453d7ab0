import Feedback
import Foundation
import Hummingbird
import NIOCore
import Storage

/// Sharing a chat read-only through a revocable link, and downloading it as markdown or JSON.
struct ChatShareRoutes {
    let views: Views
    let chats: ChatStore

    func register(on router: Router<AppRequestContext>) {
        router.post("/chats/:chat/share", use: share)
        router.post("/chats/:chat/unshare", use: unshare)
        router.get("/share/:token", use: shared)
        router.get("/chats/:chat/export.md", use: exportMarkdown)
        router.get("/chats/:chat/export.json", use: exportJSON)
    }

    @Sendable func share(request: Request, context: AppRequestContext) async throws -> Response {
        try await setToken(Secrets.token(), context: context)
    }

    @Sendable func unshare(request: Request, context: AppRequestContext) async throws -> Response {
        try await setToken(nil, context: context)
    }

    private func setToken(_ token: String?, context: AppRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let chatID = try ChatRoutes.uuid(context, "chat")
        do {
            try await chats.setShareToken(chatID, userID: user.id, token: token)
        } catch ChatFailure.notFound {
            throw AppError.notFound
        }
        return redirect(to: "/chats/\(ChatView.id(chatID))#share")
    }

    /// Anyone with the link sees the branch the owner last looked at, without any controls.
    @Sendable func shared(request: Request, context: AppRequestContext) async throws -> Response {
        guard let token = context.parameters.get("token"), token.count < 100, let chat = try await chats.sharedChat(token: token) else {
            throw AppError.notFound
        }
        let messages = try await chats.messages(chatID: chat.id)
        let thread = ChatView.thread(chat, messages: messages.filter { !$0.state.isActive }, focus: chat.activeLeafID, picked: [], readOnly: true)
        var response = try views.page("chat_shared", title: chat.title ?? "Shared chat", [
            "title": chat.title ?? "Shared chat", "messages": thread.values, "systemPrompt": chat.systemPrompt ?? "",
        ], context: context, section: "chat").response
        response.headers[.init("X-Robots-Tag")!] = "noindex"
        return response
    }

    @Sendable func exportMarkdown(request: Request, context: AppRequestContext) async throws -> Response {
        let (chat, branch) = try await ownBranch(context)
        return download(ChatTranscript.markdown(chat, branch: branch), type: "text/markdown; charset=utf-8", name: "chat-\(ChatView.id(chat.id)).md")
    }

    @Sendable func exportJSON(request: Request, context: AppRequestContext) async throws -> Response {
        let (chat, branch) = try await ownBranch(context)
        return download(ChatTranscript.json(chat, branch: branch), type: "application/json", name: "chat-\(ChatView.id(chat.id)).json")
    }

    private func ownBranch(_ context: AppRequestContext) async throws -> (Chat, [ChatEntry]) {
        let user = try context.requireUser()
        let chat: Chat
        do {
            chat = try await chats.chat(try ChatRoutes.uuid(context, "chat"), userID: user.id)
        } catch ChatFailure.notFound {
            throw AppError.notFound
        }
        let messages = try await chats.messages(chatID: chat.id)
        let byID = Dictionary(uniqueKeysWithValues: messages.map { ($0.id, $0) })
        let steps = Feedback.ChatBranches(messages.map { .init(id: $0.id, parent: $0.parentID) }).path(through: chat.activeLeafID)
        return (chat, steps.compactMap { byID[$0.id] })
    }

    private func download(_ text: String, type: String, name: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = type
        headers[.contentDisposition] = "attachment; filename=\"\(name)\""
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
