import Feedback
import Foundation
import Hummingbird
import Storage

/// First sign-in (display name and terms), the dashboard, and the account page: display name,
/// sessions, sign out everywhere, leaderboard opt-out, delete account.
struct AccountRoutes {
    let views: Views
    let users: UserStore
    let sessions: SessionStore

    func register(on router: Router<AppRequestContext>) {
        router.get("/welcome") { _, context in
            let user = try context.requireUser()
            return try welcomePage(context: context, name: user.displayName ?? "")
        }
        router.post("/welcome", use: completeWelcome)
        router.get("/dashboard", use: dashboard)
        router.get("/account", use: accountPage)
        router.post("/account/name", use: changeName)
        router.post("/account/leaderboard") { _, context -> Response in
            let user = try context.requireUser()
            try await users.setShowOnLeaderboard(id: user.id, context.form["show"] == "1")
            return redirect(to: "/account")
        }
        router.post("/account/sessions/end") { _, context -> Response in
            let user = try context.requireUser()
            if let hash = context.form["session"] { try await sessions.end(idHash: hash, userID: user.id) }
            return redirect(to: context.session?.idHash == context.form["session"] ? "/" : "/account")
        }
        router.post("/account/sessions/end-all") { _, context -> Response in
            let user = try context.requireUser()
            try await sessions.endAll(userID: user.id)
            var response = redirect(to: "/")
            response.setCookie(SessionCookie.expired(name: SessionMiddleware.cookieName))
            return response
        }
        router.post("/account/delete") { _, context -> Response in
            let user = try context.requireUser()
            guard context.form["confirm"]?.trimmingCharacters(in: .whitespaces).lowercased() == "delete" else {
                return try await accountPage(context: context, error: "Type DELETE in the box to confirm that you want to delete your account.", status: .badRequest)
            }
            try await users.deleteAccount(id: user.id)
            var response = redirect(to: "/")
            response.setCookie(SessionCookie.expired(name: SessionMiddleware.cookieName))
            return response
        }
    }

    private func welcomePage(context: AppRequestContext, name: String, error: String? = nil, status: HTTPResponse.Status = .ok) throws -> Response {
        var values: [String: Any] = ["displayName": name]
        if let error { values["error"] = error }
        return try views.page("welcome", title: "Welcome", values, context: context, status: status).response
    }

    @Sendable func completeWelcome(request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let raw = context.form["display_name"] ?? ""
        guard context.form["accept_terms"] == "1" else {
            return try welcomePage(context: context, name: raw, error: "Please accept the terms to continue.", status: .badRequest)
        }
        switch DisplayNameRule.normalised(raw) {
        case .failure(let problem):
            return try welcomePage(context: context, name: raw, error: problem.description, status: .badRequest)
        case .success(let name):
            do {
                try await users.completeProfile(id: user.id, displayName: name, acceptTerms: true)
            } catch UserStore.Failure.displayNameTaken {
                return try welcomePage(context: context, name: raw, error: "“\(name)” is already taken. Please choose another name.", status: .badRequest)
            }
            return redirect(to: "/dashboard")
        }
    }

    @Sendable func dashboard(request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireUser()
        if user.needsOnboarding { return redirect(to: "/welcome") }
        return try views.page("dashboard", title: "Dashboard", ["displayName": user.displayName ?? ""], context: context, section: "dashboard").response
    }

    @Sendable func accountPage(request: Request, context: AppRequestContext) async throws -> Response {
        try await accountPage(context: context)
    }

    private func accountPage(context: AppRequestContext, error: String? = nil, notice: String? = nil, status: HTTPResponse.Status = .ok) async throws -> Response {
        let user = try context.requireUser()
        let listed = try await sessions.list(userID: user.id)
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyy-MM-dd HH:mm 'UTC'"
        formatter.timeZone = TimeZone(identifier: "UTC")
        let rows: [[String: Any]] = listed.map { session in
            [
                "idHash": session.idHash,
                "current": session.idHash == context.session?.idHash,
                "device": Self.deviceName(session.userAgent),
                "ip": session.ip ?? "",
                "created": formatter.string(from: session.createdAt),
                "lastSeen": formatter.string(from: session.lastSeenAt),
            ]
        }
        var values: [String: Any] = [
            "email": user.email ?? "",
            "displayName": user.displayName ?? "",
            "role": user.role.rawValue,
            "showOnLeaderboard": user.showOnLeaderboard,
            "sessions": rows,
        ]
        if let error { values["error"] = error }
        if let notice { values["notice"] = notice }
        return try views.page("account", title: "Your account", values, context: context, status: status, section: "account").response
    }

    @Sendable func changeName(request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireUser()
        switch DisplayNameRule.normalised(context.form["display_name"] ?? "") {
        case .failure(let problem):
            return try await accountPage(context: context, error: problem.description, status: .badRequest)
        case .success(let name):
            do {
                try await users.completeProfile(id: user.id, displayName: name, acceptTerms: false)
            } catch UserStore.Failure.displayNameTaken {
                return try await accountPage(context: context, error: "“\(name)” is already taken. Please choose another name.", status: .badRequest)
            }
            return redirect(to: "/account")
        }
    }

    /// A short, human name for a browser's user agent string.
    static func deviceName(_ agent: String?) -> String {
        guard let agent, !agent.isEmpty else { return "Unknown device" }
        let browsers = [("Firefox", "Firefox"), ("Edg/", "Edge"), ("Chrome", "Chrome"), ("Chromium", "Chromium"), ("Safari", "Safari"), ("curl", "curl")]
        let systems = [("Android", "Android"), ("iPhone", "iPhone"), ("iPad", "iPad"), ("Windows", "Windows"), ("Mac OS", "macOS"), ("Linux", "Linux")]
        let browser = browsers.first { agent.contains($0.0) }?.1 ?? "Browser"
        let system = systems.first { agent.contains($0.0) }?.1
        return system.map { "\(browser) on \($0)" } ?? browser
    }
}
