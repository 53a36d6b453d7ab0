import AsyncHTTPClient
import Foundation
import Mail
import NIOFoundationCompat

/// Reads delivered mail back from the maildump catcher's HTTP API, so tests check what a real
/// SMTP server received rather than what the client believes it sent.
struct MailCatcher {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    struct Summary: Decodable {
        var id: Int
        var subject: String
        var sender: String?
    }

    private struct Listing: Decodable {
        var messages: [Summary]
    }

    let base: String
    let smtp: SMTPConfiguration

    /// `OASST_MAILDUMP_HTTP` and `OASST_SMTP_URL`, defaulting to the local catcher. Fails with a message
    /// that says how to start the catcher when it does not answer: a missing catcher must not look like a pass.
    static func require() async throws -> MailCatcher {
        let env = ProcessInfo.processInfo.environment
        let base = env["OASST_MAILDUMP_HTTP"].flatMap { $0.isEmpty ? nil : $0 } ?? "http://127.0.0.1:1080"
        var smtp = try SMTPConfiguration.fromEnvironment()
        smtp.from = smtp.from ?? "tests@oasst.test"
        let catcher = MailCatcher(base: base.hasSuffix("/") ? String(base.dropLast()) : base, smtp: smtp)
        do {
            _ = try await catcher.list()
        } catch {
            throw Failure(description: """
                The mail catcher is not reachable at \(base) (\(error)). Start it with:
                  .data/maildump-venv/bin/maildump --smtp-ip 127.0.0.1 --smtp-port 1025 --http-ip 127.0.0.1 --http-port 1080 -f -n
                or set OASST_MAILDUMP_HTTP / OASST_SMTP_URL to a running one.
                """)
        }
        return catcher
    }

    func list() async throws -> [Summary] {
        try JSONDecoder().decode(Listing.self, from: try await get("/messages/")).messages
    }

    /// The message with exactly this subject; polls briefly because the catcher stores asynchronously.
    func message(subject: String) async throws -> Summary {
        for _ in 0..<50 {
            if let found = try await list().first(where: { $0.subject == subject }) { return found }
            try await Task.sleep(for: .milliseconds(100))
        }
        let seen = try await list().suffix(10).map(\.subject)
        throw Failure(description: "no message with subject \(subject.debugDescription) in the catcher; latest: \(seen)")
    }

    func plain(_ id: Int) async throws -> String { try await text("/messages/\(id).plain") }
    func html(_ id: Int) async throws -> String { try await text("/messages/\(id).html") }
    func source(_ id: Int) async throws -> String { try await text("/messages/\(id).source") }

    private func text(_ path: String) async throws -> String {
        String(decoding: try await get(path), as: UTF8.self)
    }

    /// AsyncHTTPClient rather than URLSession, whose async calls on Linux can stay suspended for good.
    private func get(_ path: String) async throws -> Data {
        let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: base + path), timeout: .seconds(10))
        let body = try await response.body.collect(upTo: 64 << 20)
        guard response.status == .ok else { throw Failure(description: "GET \(base + path) answered \(response.status.code)") }
        return Data(buffer: body)
    }
}

/// A subject no other test (or test run) uses, so tests can run concurrently against one catcher.
func uniqueSubject(_ prefix: String) -> String {
    "\(prefix) \(UUID().uuidString.prefix(8))"
}
