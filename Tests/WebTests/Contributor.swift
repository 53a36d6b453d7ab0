import Foundation
import HummingbirdTesting
import TestSupport

/// A signed-in contributor driven over HTTP: signs in through the mail catcher, takes tasks and
/// answers them the way a careful person would.
final class Contributor: @unchecked Sendable {
    let visitor: Visitor
    let name: String
    private var written = 0

    private init(visitor: Visitor, name: String) {
        self.visitor = visitor
        self.name = name
    }

    static func signIn(_ client: any TestClientProtocol, name: String) async throws -> Contributor {
        let visitor = Visitor(client)
        let address = Inbox.uniqueAddress(name.lowercased().filter { $0.isLetter || $0.isNumber })
        try await visitor.get("/signin")
        try await visitor.post("/signin", ["email": address])
        let mail = try await Inbox().waitForMail(to: address)
        guard let token = Visitor.firstMatch(in: mail + "\"", after: "/signin/verify?token=")?
            .split(whereSeparator: { $0.isWhitespace }).first.map(String.init) else {
            throw Inbox.Failure(description: "no link in the sign-in mail")
        }
        try await visitor.get("/signin/verify?token=\(token)")
        try await visitor.post("/signin/verify", ["token": token])
        try await visitor.get("/welcome")
        try await visitor.post("/welcome", ["display_name": name, "accept_terms": "1"])
        return Contributor(visitor: visitor, name: name)
    }

    struct TaskPage {
        let id: String
        let kind: String
        let page: Visitor.Page
    }

    /// Asks for a task (random when `kind` is nil) and opens it; nil when none is available.
    func takeTask(kind: String? = nil) async throws -> TaskPage? {
        try await visitor.get("/tasks")
        let response = try await visitor.post("/tasks/new", ["kind": kind ?? ""])
        guard response.status == .seeOther, let location = response.location else {
            throw Inbox.Failure(description: "asking for a task answered \(response.status): \(response.text.prefix(400))")
        }
        // "Nothing for you right now" is an answer, not a failure.
        if location.contains("notice") { return nil }
        return try await open(location)
    }

    func open(_ location: String) async throws -> TaskPage {
        let page = try await visitor.get(location)
        guard let kind = Visitor.firstMatch(in: page.text, after: "data-kind=\""),
              let id = Visitor.firstMatch(in: page.text, after: "data-task=\"") else {
            throw Inbox.Failure(description: "the task page \(location) answered \(page.status): \(page.text.prefix(400))")
        }
        return TaskPage(id: id, kind: kind, page: page)
    }

    /// Answers a task sensibly and returns the response of the submit.
    @discardableResult
    func complete(_ task: TaskPage) async throws -> Visitor.Page {
        switch task.kind {
        case "initial_prompt", "prompter_reply", "assistant_reply":
            written += 1
            let text = "\(name) writes message \(written) for a \(task.kind.replacingOccurrences(of: "_", with: " ")): \(UUID().uuidString.prefix(8))."
            return try await visitor.post("/tasks/\(task.id)", ["text": text])
        case "rank_assistant_replies", "rank_prompter_replies":
            var fields: [String: String] = [:]
            for (place, id) in Self.rankedReplyIDs(task.page.text).enumerated() { fields["rank_\(id)"] = String(place + 1) }
            return try await visitor.post("/tasks/\(task.id)", fields)
        default:
            return try await visitor.post("/tasks/\(task.id)", ["label_spam": "0", "label_quality": "0.75"])
        }
    }

    static func rankedReplyIDs(_ html: String) -> [String] {
        html.components(separatedBy: "name=\"rank_").dropFirst().compactMap { $0.split(separator: "\"").first.map(String.init) }
    }
}
