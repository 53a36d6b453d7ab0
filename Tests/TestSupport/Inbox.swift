import AsyncHTTPClient
import Foundation
import NIOFoundationCompat

/// The development mail catcher (maildump) read over its HTTP API, as a person would read their inbox.
public struct Inbox: Sendable {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
        public init(description: String) { self.description = description }
    }

    struct Summary: Decodable {
        struct Recipients: Decodable { var to: [String]? }
        var id: Int
        var subject: String
        var recipients: Recipients?

        /// maildump lists recipients either as plain addresses or as `Name <address>`.
        func isAddressed(to address: String) -> Bool {
            (recipients?.to ?? []).contains { $0.lowercased().contains(address.lowercased()) }
        }
    }

    private struct Listing: Decodable { var messages: [Summary] }

    public let base: String

    public init() {
        let configured = ProcessInfo.processInfo.environment["OASST_MAILDUMP_HTTP"].flatMap { $0.isEmpty ? nil : $0 }
        base = configured ?? "http://127.0.0.1:1080"
    }

    /// A fresh address nobody else's test uses.
    public static func uniqueAddress(_ prefix: String = "user") -> String {
        "\(prefix)-\(UUID().uuidString.prefix(12).lowercased())@example.org"
    }

    /// The plain-text bodies of every mail sent to `address`, oldest first.
    public func textMails(to address: String) async throws -> [String] {
        var bodies: [String] = []
        for summary in try await list().filter({ $0.isAddressed(to: address) }).sorted(by: { $0.id < $1.id }) {
            bodies.append(try await text("/messages/\(summary.id).plain"))
        }
        return bodies
    }

    /// Waits briefly for the `count`-th mail to `address` and returns its plain text.
    public func waitForMail(to address: String, count: Int = 1) async throws -> String {
        for _ in 0..<50 {
            let mails = try await textMails(to: address)
            if mails.count >= count { return mails[count - 1] }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw Failure(description: "no mail number \(count) to \(address) arrived at the catcher \(base)")
    }

    /// The HTML part of the newest mail to `address`.
    public func latestHTML(to address: String) async throws -> String {
        guard let summary = try await list().filter({ $0.isAddressed(to: address) }).max(by: { $0.id < $1.id }) else {
            throw Failure(description: "no mail to \(address)")
        }
        return try await text("/messages/\(summary.id).html")
    }

    private func list() async throws -> [Summary] {
        do {
            return try JSONDecoder().decode(Listing.self, from: try await get("/messages/")).messages
        } catch let error as Failure {
            throw error
        } catch {
            throw Failure(description: "the mail catcher at \(base) is not reachable (\(error)); scripts/setup starts it")
        }
    }

    private func text(_ path: String) async throws -> String {
        String(decoding: try await get(path), as: UTF8.self)
    }

    /// AsyncHTTPClient rather than URLSession: on Linux, URLSession's async calls can stay suspended for good
    /// when many run at once, which hung whole test runs.
    private func get(_ path: String) async throws -> Data {
        let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: base + path), timeout: .seconds(10))
        let body = try await response.body.collect(upTo: 64 << 20)
        guard response.status == .ok else {
            throw Failure(description: "GET \(base + path) answered \(response.status.code)")
        }
        return Data(buffer: body)
    }
}
