import Feedback
import Foundation
import Hummingbird
import HummingbirdTesting
import Inference
import Logging
import Storage
import TestSupport
import Web

/// The application with the real default model behind the chat, served over a real socket so the
/// worker runs and streams are real.
enum ChatTestApp {
    /// One engine for every chat test in the process: the model is loaded once.
    static let engine: InferenceEngine = {
        let path = ProcessInfo.processInfo.environment["OASST_MODEL"]
            ?? TestServer.projectRoot.appendingPathComponent(".data/models/gemma-3-270m-q4_k_m.gguf").path
        do {
            return try InferenceEngine.load(path: path, configuration: .init(maxConcurrent: 8, maxQueued: 64, contextLength: 1024))
        } catch {
            fatalError("the chat tests need the default model (scripts/setup installs it): \(error)")
        }
    }()

    static func run(
        maxNewTokens: Int = 24, repliesPerWindow: Int = 1000,
        _ body: @escaping @Sendable (any TestClientProtocol, Database) async throws -> Void
    ) async throws {
        try await TestServer.withDatabase { database in
            var configuration = WebTestApp.configuration(database: database)
            configuration.chatLimits.maxNewTokens = maxNewTokens
            configuration.chatLimits.repliesPerWindow = repliesPerWindow
            configuration.workerName = "test-\(UUID().uuidString.prefix(8))"
            var logger = Logger(label: "oasst.test")
            logger.logLevel = .warning
            let app = try await WebApplication.build(
                configuration: configuration, database: database, logger: logger, runsDatabaseClient: false, generator: engine
            )
            try await app.test(.live) { client in
                try await body(client, database)
            }
        }
    }
}

/// A signed-in chat user: starts chats, sends messages and reads streams.
struct ChatUser {
    let visitor: Visitor
    let database: Database

    static func signIn(_ client: any TestClientProtocol, name: String, database: Database) async throws -> ChatUser {
        ChatUser(visitor: try await Contributor.signIn(client, name: name).visitor, database: database)
    }

    /// Starts a chat and returns its path, e.g. `/chats/<id>`.
    func newChat() async throws -> String {
        try await visitor.get("/chats")
        let created = try await visitor.post("/chats", [:])
        guard created.status == .seeOther, let location = created.location else {
            throw Inbox.Failure(description: "creating a chat answered \(created.status)")
        }
        return location
    }

    /// Sends a message under `parent` (the last reply) and returns the new reply's id.
    func send(_ text: String, in chat: String, parent: String = "") async throws -> String {
        try await visitor.get(chat)
        let sent = try await visitor.post("\(chat)/messages", ["text": text, "parent": parent])
        return try Self.replyID(sent)
    }

    static func replyID(_ page: Visitor.Page) throws -> String {
        guard page.status == .seeOther, let location = page.location, let range = location.range(of: "?at=") else {
            throw Inbox.Failure(description: "asking for a reply answered \(page.status) \(page.location ?? ""): \(page.text.prefix(300))")
        }
        return String(location[range.upperBound...].prefix(36))
    }

    struct Event: Equatable {
        var id: Int
        var name: String
        var data: [String: Any]
        static func == (a: Event, b: Event) -> Bool { a.id == b.id && a.name == b.name }
        var text: String { data["text"] as? String ?? "" }
    }

    /// Reads a reply's stream (resuming after `lastEventID` when given) once the reply has ended. The test
    /// client gives a whole response 20 s, which a reply can exceed on a machine busy with the rest of the
    /// suite; the stream replays the same events from the log, so what is checked is the same.
    func events(_ chat: String, reply: String, lastEventID: Int? = nil) async throws -> [Event] {
        if let id = UUID(uuidString: reply) {
            let log = ChatEventLog(database: database)
            let deadline = ContinuousClock.now + .seconds(600)
            while try await log.events(of: id, after: 0).last?.isLast != true, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(200))
            }
        }
        var headers = HTTPFields()
        if let lastEventID { headers[.init("Last-Event-ID")!] = String(lastEventID) }
        let page = try await visitor.get("\(chat)/messages/\(reply)/events", headers: headers)
        guard page.status == .ok else { throw Inbox.Failure(description: "the stream answered \(page.status): \(page.text.prefix(300))") }
        return Self.parse(page.text)
    }

    static func parse(_ stream: String) -> [Event] {
        stream.components(separatedBy: "\n\n").compactMap { block -> Event? in
            var id: Int?, name: String?, data: [String: Any]?
            for line in block.split(separator: "\n") {
                if line.hasPrefix("id: ") { id = Int(line.dropFirst(4)) }
                if line.hasPrefix("event: ") { name = String(line.dropFirst(7)) }
                if line.hasPrefix("data: ") {
                    data = (try? JSONSerialization.jsonObject(with: Data(line.dropFirst(6).utf8))) as? [String: Any]
                }
            }
            guard let id, let name, let data else { return nil }
            return Event(id: id, name: name, data: data)
        }
    }
}
