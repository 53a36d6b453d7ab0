import Foundation
import Hummingbird
import HummingbirdTesting
import Storage
import TestSupport
import Testing

@Suite("Sign in with a magic link")
struct SignInTests {
    let inbox = Inbox()

    /// The token from the newest sign-in mail to `address`.
    func token(for address: String, mail: Int = 1) async throws -> String {
        let text = try await inbox.waitForMail(to: address, count: mail)
        let token = try #require(Visitor.firstMatch(in: text + "\"", after: "/signin/verify?token=")?
            .split(whereSeparator: { $0.isWhitespace }).first.map(String.init))
        #expect(token.count == 43, "256 random bits in URL-safe base64")
        return token
    }

    func requestLink(_ visitor: Visitor, _ address: String) async throws -> Visitor.Page {
        try await visitor.get("/signin")
        return try await visitor.post("/signin", ["email": address])
    }

    @Test("the whole flow: mail, link, confirm, first-run profile, dashboard; the link works once")
    func wholeFlow() async throws {
        try await WebTestApp.run { client, database in
            let visitor = Visitor(client)
            let address = Inbox.uniqueAddress()
            let sent = try await requestLink(visitor, address)
            #expect(sent.status == .ok)
            #expect(sent.text.contains("Check your mail"))
            #expect(sent.text.contains("http://127.0.0.1:1080"), "development page links the inbox")

            let token = try await token(for: address)
            let html = try await inbox.latestHTML(to: address)
            #expect(html.contains("/signin/verify?token=\(token)"), "the HTML part carries the same link")

            // Following the link only shows a button: a prefetching scanner does not use it up.
            let confirm = try await visitor.get("/signin/verify?token=\(token)")
            #expect(confirm.status == .ok && confirm.text.contains("Sign me in"))
            #expect(try await SignInTokenStore(database: database).check(token: token) == .valid(email: address))

            let signedIn = try await visitor.post("/signin/verify", ["token": token])
            #expect(signedIn.status == .seeOther && signedIn.location == "/welcome")
            #expect(visitor.cookies["oasst_session"] != nil)

            // No tasks before the profile is complete.
            #expect(try await visitor.get("/dashboard").location == "/welcome")
            try await visitor.get("/welcome")
            let noTerms = try await visitor.post("/welcome", ["display_name": "Ada"])
            #expect(noTerms.status == .badRequest && noTerms.text.contains("accept the terms"))
            let badName = try await visitor.post("/welcome", ["display_name": "A\u{7}", "accept_terms": "1"])
            #expect(badName.status == .badRequest && badName.text.contains("control characters"))
            let done = try await visitor.post("/welcome", ["display_name": "Ada Lovelace", "accept_terms": "1"])
            #expect(done.location == "/dashboard")
            let dashboard = try await visitor.get("/dashboard")
            #expect(dashboard.status == .ok && dashboard.text.contains("Hello, Ada Lovelace"))

            // The same link a second time is refused.
            let again = Visitor(client)
            let usedPage = try await again.get("/signin/verify?token=\(token)")
            #expect(usedPage.status == .badRequest && usedPage.text.contains("already used"))
            try await again.get("/signin")
            let reused = try await again.post("/signin/verify", ["token": token])
            #expect(reused.status == .badRequest && reused.text.contains("already used"))
            #expect(again.cookies["oasst_session"] == nil)
        }
    }

    @Test("expired, altered and unknown links are refused")
    func badLinks() async throws {
        try await WebTestApp.run { client, database in
            let visitor = Visitor(client)
            let address = Inbox.uniqueAddress()
            _ = try await requestLink(visitor, address)
            let token = try await token(for: address)

            var altered = Array(token)
            altered[10] = altered[10] == "A" ? "B" : "A"
            try await visitor.get("/signin")
            let wrong = try await visitor.post("/signin/verify", ["token": String(altered)])
            #expect(wrong.status == .badRequest && wrong.text.contains("not valid"))

            try await SignInTokenStore(database: database).expire(token: token)
            let expiredPage = try await visitor.get("/signin/verify?token=\(token)")
            #expect(expiredPage.status == .badRequest && expiredPage.text.contains("expired"))
            let expired = try await visitor.post("/signin/verify", ["token": token])
            #expect(expired.status == .badRequest && expired.text.contains("expired"))
            #expect(visitor.cookies["oasst_session"] == nil)
        }
    }

    @Test("a banned user is refused")
    func bannedUser() async throws {
        try await WebTestApp.run { client, database in
            let users = UserStore(database: database)
            let address = Inbox.uniqueAddress("banned")
            let user = try await users.findOrCreate(email: address)
            try await users.setBanned(id: user.id, banned: true, reason: "spam")
            let visitor = Visitor(client)
            let sent = try await requestLink(visitor, address)
            #expect(sent.text.contains("Check your mail"), "the page does not reveal the account's state")
            let token = try await token(for: address)
            try await visitor.get("/signin/verify?token=\(token)")
            let refused = try await visitor.post("/signin/verify", ["token": token])
            #expect(refused.status == .forbidden && refused.text.contains("suspended"))
            #expect(visitor.cookies["oasst_session"] == nil)
        }
    }

    @Test("a ban ends the sessions of a signed-in user")
    func banEndsSessions() async throws {
        try await WebTestApp.run { client, database in
            let visitor = Visitor(client)
            let address = Inbox.uniqueAddress()
            _ = try await requestLink(visitor, address)
            let token = try await token(for: address)
            try await visitor.get("/signin/verify?token=\(token)")
            try await visitor.post("/signin/verify", ["token": token])
            #expect(try await visitor.get("/account").status == .ok)
            let user = try #require(try await UserStore(database: database).find(email: address))
            try await UserStore(database: database).setBanned(id: user.id, banned: true, reason: nil)
            let after = try await visitor.get("/account")
            #expect(after.status == .seeOther && after.location == "/signin")
        }
    }

    @Test("forms without a valid CSRF token are refused with 403")
    func csrf() async throws {
        try await WebTestApp.run { client, _ in
            let visitor = Visitor(client)
            try await visitor.get("/signin")
            let missing = try await visitor.post("/signin", ["email": Inbox.uniqueAddress()], csrf: "")
            #expect(missing.status == .forbidden && missing.text.contains("did not come from this site"))
            let wrong = try await visitor.post("/signin", ["email": Inbox.uniqueAddress()], csrf: String(repeating: "x", count: 43))
            #expect(wrong.status == .forbidden)
            let stranger = Visitor(client)  // no cookie at all
            let noCookie = try await stranger.post("/signin", ["email": Inbox.uniqueAddress()], csrf: String(repeating: "x", count: 43))
            #expect(noCookie.status == .forbidden)
        }
    }

    @Test("the sixth mail for one address in an hour is refused with 429")
    func rateLimit() async throws {
        try await WebTestApp.run { client, _ in
            let visitor = Visitor(client)
            let address = Inbox.uniqueAddress("limited")
            for _ in 1...5 {
                #expect(try await requestLink(visitor, address).status == .ok)
            }
            let sixth = try await requestLink(visitor, address)
            #expect(sixth.status == .tooManyRequests)
            #expect(sixth.text.contains("try again in"))
            #expect(Int(sixth.headers[.retryAfter] ?? "") ?? 0 > 0)
            _ = try await inbox.waitForMail(to: address, count: 5)
            #expect(try await inbox.textMails(to: address).count == 5)
        }
    }

    @Test("addresses with line breaks or bad syntax are rejected", arguments: [
        "victim@example.org\r\nBcc: everyone@example.org",
        "victim@example.org\nSubject: spam",
        "not-an-address",
        "",
    ])
    func headerInjection(address: String) async throws {
        try await WebTestApp.run { client, _ in
            let visitor = Visitor(client)
            let page = try await requestLink(visitor, address)
            #expect(page.status == .badRequest)
            #expect(!page.text.contains("Check your mail"))
        }
    }

    @Test("sign out, and sign out everywhere")
    func signOut() async throws {
        try await WebTestApp.run { client, _ in
            let address = Inbox.uniqueAddress()
            var visitors: [Visitor] = []
            for mail in 1...2 {
                let visitor = Visitor(client)
                _ = try await requestLink(visitor, address)
                let token = try await token(for: address, mail: mail)
                try await visitor.get("/signin/verify?token=\(token)")
                try await visitor.post("/signin/verify", ["token": token])
                visitors.append(visitor)
            }
            try await visitors[0].get("/welcome")
            try await visitors[0].post("/welcome", ["display_name": "Grace", "accept_terms": "1"])
            let account = try await visitors[0].get("/account")
            #expect(account.text.components(separatedBy: "/account/sessions/end\"").count - 1 == 2, "both sessions listed")
            try await visitors[0].post("/account/sessions/end-all")
            #expect(try await visitors[1].get("/account").location == "/signin")
            #expect(try await visitors[0].get("/account").location == "/signin")
        }
    }

    @Test("the mail server being down gives a clear page quickly, and no usable token")
    func smtpDown() async throws {
        try await TestServer.withDatabase { database in
            var configuration = WebTestApp.configuration(database: database)
            configuration.smtpURL = "smtp://127.0.0.1:9"  // nothing listens on the discard port
            try await WebTestApp.run(configuration: configuration, database: database) { client in
                let visitor = Visitor(client)
                let started = ContinuousClock.now
                let page = try await requestLink(visitor, Inbox.uniqueAddress())
                #expect(page.status == .serviceUnavailable)
                #expect(page.text.contains("mail server is not responding"))
                // Bounded by the SMTP timeouts (5 s connect, 10 s per reply), with room for a loaded machine; a hang would never return.
                #expect(ContinuousClock.now - started < .seconds(30))
                let unused = try await database.withConnection { connection in
                    var count = -1
                    for try await n in try await connection.query("SELECT count(*)::int FROM signin_tokens WHERE used_at IS NULL", logger: database.logger).decode(Int.self) { count = n }
                    return count
                }
                #expect(unused == 0)
            }
        }
    }

    @Test("account deletion anonymises and ends sessions")
    func deleteAccount() async throws {
        try await WebTestApp.run { client, database in
            let visitor = Visitor(client)
            let address = Inbox.uniqueAddress()
            _ = try await requestLink(visitor, address)
            let token = try await token(for: address)
            try await visitor.get("/signin/verify?token=\(token)")
            try await visitor.post("/signin/verify", ["token": token])
            try await visitor.get("/welcome")
            try await visitor.post("/welcome", ["display_name": "Temporary", "accept_terms": "1"])
            let user = try #require(try await UserStore(database: database).find(email: address))
            try await visitor.get("/account")
            let refused = try await visitor.post("/account/delete", ["confirm": "nope"])
            #expect(refused.status == .badRequest)
            try await visitor.post("/account/delete", ["confirm": "DELETE"])
            let after = try #require(try await UserStore(database: database).find(id: user.id))
            #expect(after.deleted && after.email == nil && after.displayName == "Deleted user" && !after.showOnLeaderboard)
            #expect(try await visitor.get("/account").location == "/signin")
        }
    }
}
