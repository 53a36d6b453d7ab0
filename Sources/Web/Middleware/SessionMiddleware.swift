import Foundation
import Hummingbird
import Storage

/// Finds the visitor's session from the cookie. A banned user's sessions are ended and every request
/// answered with the page that says why.
struct SessionMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    static let cookieName = "oasst_session"
    let sessions: SessionStore
    let users: UserStore
    let views: Views

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        if let cookie = request.cookies[Self.cookieName]?.value, !cookie.isEmpty, cookie.count <= 128,
           let active = try await sessions.find(cookie: cookie) {
            if active.user.banned {
                try await sessions.endAll(userID: active.user.id)
                return try BannedPage.response(views: views, reason: active.user.bannedReason, request: request, context: context)
            }
            context.session = active
        }
        return try await next(request, context)
    }
}

enum BannedPage {
    static func response(views: Views, reason: String?, request: Request, context: AppRequestContext) throws -> Response {
        var response = try views.page(
            "banned", title: "Account suspended",
            ["reason": reason ?? "", "hasReason": !(reason ?? "").isEmpty],
            context: context, status: .forbidden
        ).response(from: request, context: context)
        response.setCookie(SessionCookie.expired(name: SessionMiddleware.cookieName))
        return response
    }
}

/// The cookie settings every session and CSRF cookie shares.
enum SessionCookie {
    static func make(name: String, value: String, secure: Bool, maxAge: Int? = nil) -> Cookie {
        Cookie(name: name, value: value, maxAge: maxAge, path: "/", secure: secure, httpOnly: true, sameSite: .lax)
    }

    static func expired(name: String) -> Cookie {
        Cookie(name: name, value: "", maxAge: 0, path: "/", httpOnly: true, sameSite: .lax)
    }
}
