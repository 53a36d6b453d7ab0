import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore

/// A browser in miniature: keeps cookies between requests and the CSRF token of the last page,
/// so tests can walk through the site the way a person does.
final class Visitor: @unchecked Sendable {
    let client: any TestClientProtocol
    var cookies: [String: String] = [:]
    var csrf: String?

    init(_ client: any TestClientProtocol) {
        self.client = client
    }

    struct Page {
        let status: HTTPResponse.Status
        let headers: HTTPFields
        let text: String
        var location: String? { headers[.location] }
    }

    @discardableResult
    func get(_ uri: String, headers extra: HTTPFields = [:]) async throws -> Page {
        try await send(uri, method: .get, body: nil, extra: extra)
    }

    /// Posts a form; the CSRF token of the last page goes with it unless `csrf` is given (or "" to omit it).
    @discardableResult
    func post(_ uri: String, _ fields: [String: String] = [:], csrf override: String? = nil) async throws -> Page {
        var all = fields
        let token = override ?? csrf
        if let token, !token.isEmpty { all["csrf"] = token }
        let body = all.map { "\(Self.encode($0.key))=\(Self.encode($0.value))" }.joined(separator: "&")
        return try await send(uri, method: .post, body: body)
    }

    private func send(_ uri: String, method: HTTPRequest.Method, body: String?, extra: HTTPFields = [:]) async throws -> Page {
        var headers = extra
        if !cookies.isEmpty {
            headers[.cookie] = cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
        }
        if body != nil { headers[.contentType] = "application/x-www-form-urlencoded" }
        let page = try await client.execute(
            uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) }
        ) { response in
            Page(status: response.status, headers: response.headers, text: String(buffer: response.body))
        }
        for header in page.headers[values: .setCookie] {
            let pair = header.split(separator: ";", maxSplits: 1)[0].split(separator: "=", maxSplits: 1)
            let name = String(pair[0]), value = pair.count > 1 ? String(pair[1]) : ""
            if value.isEmpty || header.contains("Max-Age=0") { cookies[name] = nil } else { cookies[name] = value }
        }
        if let token = Self.firstMatch(in: page.text, after: "name=\"csrf\" value=\"") {
            csrf = token
        }
        return page
    }

    static func firstMatch(in text: String, after marker: String) -> String? {
        guard let start = text.range(of: marker) else { return nil }
        let rest = text[start.upperBound...]
        guard let end = rest.firstIndex(of: "\"") else { return nil }
        return String(rest[..<end])
    }

    static func encode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}
