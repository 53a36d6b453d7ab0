import Feedback
import Foundation
import Hummingbird
import Inference
import Storage

/// The chat pages: the list of chats, one chat with the branch on screen, and its settings.
struct ChatRoutes {
    let views: Views
    let chats: ChatStore
    /// Set when this server has a model to chat with.
    let modelName: String?

    static let pageSize = 20

    func register(on router: Router<AppRequestContext>) {
        router.get("/chats", use: list)
        router.post("/chats", use: create)
        router.post("/chats/hide-all", use: hideAll)
        router.get("/chats/:chat", use: show)
        router.post("/chats/:chat/settings", use: settings)
        router.post("/chats/:chat/hide", use: hide)
        router.post("/chats/:chat/unhide", use: unhide)
        router.post("/chats/:chat/delete", use: delete)
    }

    static func uuid(_ context: AppRequestContext, _ name: String) throws -> UUID {
        guard let raw = context.parameters.get(name), let id = UUID(uuidString: raw) else { throw AppError.notFound }
        return id
    }

    @Sendable func list(request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let hidden = request.uri.queryParameters.get("hidden") == "1"
        var cursor: ChatStore.Cursor?
        if let raw = request.uri.queryParameters.get("before") {
            cursor = Self.decodeCursor(raw)
            guard cursor != nil else { throw AppError.badRequest("That page of the list does not exist.") }
        }
        let page = try await chats.list(userID: user.id, hidden: hidden, before: cursor, limit: Self.pageSize)
        var values: [String: Any] = [
            "chats": page.chats.map { ChatView.summary($0) }, "hasChats": !page.chats.isEmpty, "showingHidden": hidden,
            "presets": ChatView.presets(selected: "k50"), "modelName": modelName ?? "", "hasModel": modelName != nil,
            "isFirstPage": cursor == nil,
        ]
        if let next = page.next { values["nextPage"] = "/chats?\(hidden ? "hidden=1&" : "")before=\(Self.encodeCursor(next))" }
        return try views.page("chats", title: "Chats", values, context: context, section: "chat").response
    }

    /// A new chat, optionally with its first message (the form on the list page).
    @Sendable func create(request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let preset = context.form["preset"].flatMap { SamplingPreset.named($0)?.name } ?? "k50"
        let system = context.form["system_prompt"]?.trimmingCharacters(in: .whitespacesAndNewlines)
        let chat = try await chats.create(userID: user.id, systemPrompt: system?.isEmpty == false ? system : nil, preset: preset)
        return redirect(to: "/chats/\(ChatView.id(chat.id))")
    }

    @Sendable func hideAll(request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireUser()
        try await chats.hideAll(userID: user.id)
        return redirect(to: "/chats")
    }

    @Sendable func show(request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let chat = try await ownChat(context, user: user)
        let messages = try await chats.messages(chatID: chat.id)
        var focus = chat.activeLeafID
        if let raw = request.uri.queryParameters.get("at") {
            guard let at = UUID(uuidString: String(raw)), messages.contains(where: { $0.id == at }) else { throw AppError.notFound }
            focus = at
        }
        let comparisons = try await chats.comparisons(chatID: chat.id)
        let groups = Dictionary(messages.compactMap { m in m.draftGroup.map { (m.id, $0) } }, uniquingKeysWith: { a, _ in a })
        let picked = Set(comparisons.compactMap { groups[$0.selected] })
        let thread = ChatView.thread(chat, messages: messages, focus: focus, picked: picked, readOnly: false)
        if let leaf = thread.leaf, leaf != chat.activeLeafID {
            try await chats.setActiveLeaf(chat.id, userID: user.id, leaf: leaf)
        }
        let recent = try await chats.list(userID: user.id, hidden: false, before: nil, limit: 12).chats
        let lastAssistant = thread.values.last { ($0["isAssistant"] as? Bool) == true }
        let canSend = modelName != nil && !thread.active && (thread.values.isEmpty || lastAssistant != nil && thread.values.last?["isAssistant"] as? Bool == true)
        let values: [String: Any] = [
            "chat": ChatView.summary(chat), "chatID": ChatView.id(chat.id), "title": chat.title ?? "New chat",
            "messages": thread.values, "isEmpty": thread.values.isEmpty, "active": thread.active,
            "leafID": thread.leaf.map(ChatView.id) ?? "", "canSend": canSend, "hasModel": modelName != nil,
            "recent": recent.map { ChatView.summary($0, current: chat.id) },
            "presets": ChatView.presets(selected: chat.preset), "systemPrompt": chat.systemPrompt ?? "",
            "allowDataUse": chat.allowDataUse, "hidden": chat.hidden,
            "shareURL": chat.shareToken.map { "/share/\($0)" } ?? "", "isShared": chat.shareToken != nil,
        ]
        return try views.page("chat", title: chat.title ?? "New chat", values, context: context, section: "chat").response
    }

    @Sendable func settings(request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let chat = try await ownChat(context, user: user)
        var change = ChatStore.Settings()
        if let title = context.form["title"] { change.title = title }
        if let system = context.form["system_prompt"] {
            guard system.count <= chats.limits.maxMessageLength else {
                throw AppError.badRequest("The system prompt can be at most \(chats.limits.maxMessageLength) characters long.")
            }
            change.systemPrompt = system.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        if let preset = context.form["preset"] {
            guard let known = SamplingPreset.named(preset) else { throw AppError.badRequest("There is no preset called “\(preset)”.") }
            change.preset = known.name
        }
        if context.form["data_use_form"] != nil { change.allowDataUse = context.form["allow_data_use"] == "on" }
        try await chats.update(chat.id, userID: user.id, change)
        return redirect(to: "/chats/\(ChatView.id(chat.id))")
    }

    @Sendable func hide(request: Request, context: AppRequestContext) async throws -> Response {
        try await setHidden(true, context: context)
    }

    @Sendable func unhide(request: Request, context: AppRequestContext) async throws -> Response {
        try await setHidden(false, context: context)
    }

    private func setHidden(_ hidden: Bool, context: AppRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let chat = try await ownChat(context, user: user)
        try await chats.update(chat.id, userID: user.id, .init(hidden: hidden))
        return redirect(to: hidden ? "/chats" : "/chats/\(ChatView.id(chat.id))")
    }

    @Sendable func delete(request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let chat = try await ownChat(context, user: user)
        try await chats.delete(chat.id, userID: user.id)
        return redirect(to: "/chats")
    }

    private func ownChat(_ context: AppRequestContext, user: User) async throws -> Chat {
        do {
            return try await chats.chat(try Self.uuid(context, "chat"), userID: user.id)
        } catch ChatFailure.notFound {
            throw AppError.notFound
        }
    }

    /// The list cursor travels in the URL as "<unix-microseconds>_<uuid>".
    static func encodeCursor(_ cursor: ChatStore.Cursor) -> String {
        "\(Int64((cursor.createdAt.timeIntervalSince1970 * 1_000_000).rounded()))_\(ChatView.id(cursor.id))"
    }

    static func decodeCursor(_ text: some StringProtocol) -> ChatStore.Cursor? {
        let parts = text.split(separator: "_")
        guard parts.count == 2, let micros = Int64(parts[0]), let id = UUID(uuidString: String(parts[1])) else { return nil }
        return .init(createdAt: Date(timeIntervalSince1970: Double(micros) / 1_000_000), id: id)
    }
}
