import Feedback
import Foundation
import Hummingbird
import Mail
import Storage

/// Sign-in by magic link: ask for an address, mail a single-use link, confirm it with a button (so
/// mail scanners that prefetch links cannot use it up), start a session.
struct SignInRoutes {
    let views: Views
    let users: UserStore
    let sessions: SessionStore
    let tokens: SignInTokenStore
    let limits: RateLimitStore
    let mailer: SignInMailer
    let tokenLifetime: Duration
    let secureCookies: Bool

    static let perAddress = RateLimitStore.Limit(bucket: "signin-address", count: SignInLimits.mailsPerAddress, window: .seconds(SignInLimits.windowSeconds))
    static let perIP = RateLimitStore.Limit(bucket: "signin-ip", count: SignInLimits.mailsPerClient, window: .seconds(SignInLimits.windowSeconds))

    func register(on router: Router<AppRequestContext>) {
        router.get("/signin") { _, context in
            if context.user != nil { return redirect(to: "/dashboard") }
            return try signInForm(context: context).response
        }
        router.post("/signin", use: requestLink)
        router.get("/signin/verify", use: confirmPage)
        router.post("/signin/verify", use: verify)
        router.post("/signout") { _, context -> Response in
            if let session = context.session {
                try await sessions.end(idHash: session.idHash, userID: session.user.id)
            }
            var response = redirect(to: "/")
            response.setCookie(SessionCookie.expired(name: SessionMiddleware.cookieName))
            return response
        }
    }

    private func signInForm(context: AppRequestContext, email: String = "", error: String? = nil, status: HTTPResponse.Status = .ok) throws -> HTMLPage {
        var values: [String: Any] = ["email": email]
        if let error { values["error"] = error }
        return try views.page("signin", title: "Sign in", values, context: context, status: status, section: "signin")
    }

    @Sendable func requestLink(request: Request, context: AppRequestContext) async throws -> Response {
        let email = (context.form["email"] ?? "").trimmingCharacters(in: .whitespaces)
        do {
            try MailAddress.validate(email, field: "email")
        } catch {
            let message = email.isEmpty ? "Please enter your email address." : "That does not look like an email address. Please check it and try again."
            return try signInForm(context: context, email: email.filter { !$0.isNewline }, error: message, status: .badRequest).response
        }
        let normalised = email.lowercased()
        for (limit, key) in [(Self.perIP, context.clientIP), (Self.perAddress, normalised)] {
            if case .limited(let seconds) = try await limits.hit(limit, key: key) {
                let minutes = max(1, (seconds + 59) / 60)
                throw AppError.tooManyRequests(
                    "Too many sign-in mails were requested \(limit.bucket == Self.perIP.bucket ? "from your network" : "for this address") in the last hour. Please try again in \(minutes) minute\(minutes == 1 ? "" : "s").",
                    retryAfterSeconds: seconds
                )
            }
        }
        let token = try await tokens.issue(email: normalised, lifetime: tokenLifetime, ip: context.clientIP)
        do {
            try await mailer.sendSignInLink(to: normalised, token: token, lifetime: tokenLifetime)
        } catch {
            // The link never reached anyone: make sure nobody can use it later.
            try? await tokens.revoke(token: token)
            context.logger.error("sign-in mail failed", metadata: ["error": .string(String(describing: error))])
            throw AppError.unavailable("We could not send the sign-in mail just now because the mail server is not responding. Please try again in a few minutes.")
        }
        // The same page whether or not the address belongs to an account.
        return try views.page(
            "signin_sent", title: "Check your mail",
            ["email": normalised, "minutes": Int(tokenLifetime.components.seconds / 60)],
            context: context, section: "signin"
        ).response
    }

    @Sendable func confirmPage(request: Request, context: AppRequestContext) async throws -> Response {
        let token = request.uri.queryParameters.get("token") ?? ""
        let check: SignInTokenStore.Check = token.isEmpty || token.count > 100 ? .unknown : try await tokens.check(token: token)
        switch check {
        case .valid(let email):
            return try views.page("signin_verify", title: "Confirm sign-in", ["token": token, "email": email], context: context, section: "signin").response
        default:
            return try invalidLink(check, context: context)
        }
    }

    @Sendable func verify(request: Request, context: AppRequestContext) async throws -> Response {
        let token = context.form["token"] ?? ""
        let result: SignInTokenStore.Check = token.isEmpty || token.count > 100 ? .unknown : try await tokens.consume(token: token)
        guard case .valid(let email) = result else { return try invalidLink(result, context: context) }
        let user = try await users.findOrCreate(email: email)
        if user.banned {
            return try BannedPage.response(views: views, reason: user.bannedReason, request: request, context: context)
        }
        let previous = request.cookies[SessionMiddleware.cookieName]?.value
        let session = try await sessions.create(
            userID: user.id, userAgent: request.headers[.userAgent], ip: context.clientIP,
            replacing: previous.flatMap { $0.isEmpty || $0.count > 128 ? nil : $0 }
        )
        var response = redirect(to: user.needsOnboarding ? "/welcome" : "/dashboard")
        response.setCookie(SessionCookie.make(
            name: SessionMiddleware.cookieName, value: session.cookie, secure: secureCookies,
            maxAge: Int(sessions.absoluteTimeout.components.seconds)
        ))
        return response
    }

    private func invalidLink(_ check: SignInTokenStore.Check, context: AppRequestContext) throws -> Response {
        let reason: String
        switch check {
        case .used: reason = "This sign-in link was already used. Each link works once."
        case .expired: reason = "This sign-in link has expired. Links work for \(Int(tokenLifetime.components.seconds / 60)) minutes."
        default: reason = "This sign-in link is not valid. It may have been copied incompletely."
        }
        return try views.page("signin_invalid", title: "Link not valid", ["reason": reason], context: context, status: .badRequest, section: "signin").response
    }
}

func redirect(to path: String) -> Response {
    Response(status: .seeOther, headers: [.location: path])
}

extension HTMLPage {
    var response: Response {
        Response(
            status: status,
            headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: html))
        )
    }
}
