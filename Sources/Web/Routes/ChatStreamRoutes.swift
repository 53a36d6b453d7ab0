import Foundation
import Hummingbird
import NIOCore
import Storage

/// `GET /chats/:chat/messages/:message/events`: a reply as Server-Sent Events. Named events `queue`,
/// `token`, `done` and `error`, each with an `id:`; a reconnect with `Last-Event-ID` (or `?after=`)
/// gets exactly what came after, and any number of tabs can follow the same reply. Closing the
/// stream does not stop the reply.
struct ChatStreamRoutes {
    let chats: ChatStore
    let follower: ReplyFollower

    func register(on router: Router<AppRequestContext>) {
        router.get("/chats/:chat/messages/:message/events", use: events)
    }

    @Sendable func events(request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let chatID = try ChatRoutes.uuid(context, "chat")
        let messageID = try ChatRoutes.uuid(context, "message")
        let entry: ChatEntry
        do {
            entry = try await chats.entry(messageID, chatID: chatID, userID: user.id)
        } catch ChatFailure.notFound {
            throw AppError.notFound
        }
        guard entry.role == .assistant else { throw AppError.badRequest("Only the assistant's replies stream.") }
        let header: String? = request.headers[.init("Last-Event-ID")!]
        let query: String? = request.uri.queryParameters.get("after").map { String($0) }
        let resumeFrom: Int = (header ?? query).flatMap { Int($0) } ?? 0
        guard resumeFrom >= 0 else { throw AppError.badRequest("Last-Event-ID must be a number the stream sent.") }
        let items = follower.follow(messageID, after: resumeFrom)
        let chats = self.chats
        var headers = HTTPFields()
        headers[.contentType] = "text/event-stream; charset=utf-8"
        headers[.cacheControl] = "no-cache"
        headers[.init("X-Accel-Buffering")!] = "no"
        return Response(status: .ok, headers: headers, body: ResponseBody { writer in
            // Tell EventSource to wait a second before reconnecting after a dropped connection.
            try await writer.write(ByteBuffer(string: "retry: 1000\n\n"))
            for try await item in items {
                switch item {
                case .queued(let position, let seq):
                    try await writer.write(ByteBuffer(string: ServerSentEvent.format(id: seq, event: "queue", data: #"{"position":\#(position)}"#)))
                case .idle:
                    try await writer.write(ByteBuffer(string: ": still waiting\n\n"))
                case .event(let event):
                    var data = event.data
                    if event.kind == "done", let final = try await chats.entry(messageID) {
                        data = ServerSentEvent.doneData(event.data, final: final)
                    }
                    try await writer.write(ByteBuffer(string: ServerSentEvent.format(id: event.seq, event: event.kind, data: data)))
                }
            }
            try await writer.finish(nil)
        })
    }
}
