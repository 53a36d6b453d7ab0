import Foundation
import Hummingbird
import Mustache

/// Renders `Templates/pages/*.mustache` inside the layout. Mustache escapes every `{{value}}`;
/// only `{{{…Html}}}` fields go in raw, filled from `Markdown.html(from:)` or from `renderPartial`.
public struct TemplateRenderer: Sendable {
    let library: MustacheLibrary

    public init(templatesFolder: URL) async throws {
        library = try await MustacheLibrary(directory: templatesFolder.path, withExtension: "mustache")
        // A missing folder silently gives an empty library; fail at start instead of on every page.
        guard library.getTemplate(named: "layout") != nil, library.getTemplate(named: "pages/error") != nil else {
            throw TemplateError.missing("layout or pages/error in \(templatesFolder.path)")
        }
    }

    public func render(_ page: String, _ values: [String: Any]) throws -> String {
        guard let html = library.render(values, withTemplate: "pages/\(page)") else {
            throw TemplateError.missing("pages/\(page)")
        }
        return html
    }

    /// A fragment from `Templates/partials/`, escaped like any page, for a page that reuses it many times;
    /// the page takes it in a `{{{…Html}}}` field.
    public func renderPartial(_ name: String, _ values: [String: Any]) throws -> String {
        guard let html = library.render(values, withTemplate: "partials/\(name)") else {
            throw TemplateError.missing("partials/\(name)")
        }
        return html
    }

    /// Mail bodies live in `Templates/mail/`; the text ones are rendered escaped too, which leaves
    /// plain URLs intact.
    public func renderMail(_ name: String, _ values: [String: Any]) throws -> String {
        guard let text = library.render(values, withTemplate: "mail/\(name)") else {
            throw TemplateError.missing("mail/\(name)")
        }
        return text
    }

    public enum TemplateError: Error, CustomStringConvertible {
        case missing(String)
        public var description: String {
            switch self {
            case .missing(let name): return "template \(name) not found"
            }
        }
    }
}

/// An HTML page ready to send.
public struct HTMLPage: ResponseGenerator {
    public let html: String
    public var status: HTTPResponse.Status

    public init(html: String, status: HTTPResponse.Status = .ok) {
        self.html = html
        self.status = status
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        Response(
            status: status,
            headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: html))
        )
    }
}
