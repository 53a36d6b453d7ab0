import Foundation
import Hummingbird
import Storage

/// Every state-changing request must carry the visitor's CSRF token in the form field `csrf`.
/// Signed-in visitors use their session's token; signed-out ones a random token in a cookie
/// (double submit). The API under `/v1/` authenticates with bearer keys instead, which a
/// cross-site form cannot send.
struct CSRFMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    static let cookieName = "oasst_csrf"
    static let fieldName = "csrf"
    static let maximumFormBytes = 256 * 1024
    let secureCookies: Bool

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        var newCookie: String?
        if let session = context.session {
            context.csrfToken = session.csrfToken
        } else if let cookie = request.cookies[Self.cookieName]?.value, cookie.count == 43 {
            context.csrfToken = cookie
        } else {
            newCookie = Secrets.token()
            context.csrfToken = newCookie!
        }

        var request = request
        let changesState = ![.get, .head, .options].contains(request.method)
        if changesState && !request.uri.path.hasPrefix("/v1/") {
            let body: ByteBuffer
            do {
                body = try await request.collectBody(upTo: Self.maximumFormBytes)
            } catch {
                throw AppError.badRequest("What you sent is too large.")
            }
            let contentType = request.headers[.contentType] ?? ""
            if contentType.hasPrefix("application/x-www-form-urlencoded") {
                context.form = FormData(urlEncoded: String(buffer: body))
            }
            // A new cookie means the visitor had none, so no form of ours can carry a matching token.
            guard newCookie == nil, let sent = context.form[Self.fieldName],
                  Secrets.constantTimeEquals(sent, context.csrfToken) else {
                throw AppError.forbidden("This form has expired or did not come from this site. Go back, reload the page and try again.")
            }
        }
        var response = try await next(request, context)
        if let newCookie {
            response.setCookie(SessionCookie.make(name: Self.cookieName, value: newCookie, secure: secureCookies))
        }
        return response
    }
}
