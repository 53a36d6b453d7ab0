import Foundation
import Hummingbird
import HummingbirdTesting
import Storage
import TestSupport
import Testing

/// Every moderation and admin route, tried as each kind of visitor. The server decides, whatever the page shows.
@Suite("Roles on moderation and admin routes")
struct RoleMatrixTests {
    struct Route {
        var method: String
        var path: String
        var fields: [String: String] = [:]
        /// What a moderator gets (nil: the same as an admin).
        var moderator: HTTPResponse.Status?
        var admin: HTTPResponse.Status
    }

    static func routes(messageID: UUID, userID: UUID) -> [Route] {
        let missing = UUID().path
        let reason = ["reason": "checking roles"]
        return [
            Route(method: "GET", path: "/moderation", admin: .ok),
            Route(method: "GET", path: "/moderation/messages", admin: .ok),
            Route(method: "GET", path: "/moderation/messages?q=writes&lang=en", admin: .ok),
            Route(method: "GET", path: "/moderation/messages/\(messageID.path)", admin: .ok),
            Route(method: "GET", path: "/moderation/trollboard?frame=week", admin: .ok),
            Route(method: "GET", path: "/moderation/audit", admin: .ok),
            Route(method: "GET", path: "/moderation/users?q=Plain", admin: .ok),
            Route(method: "GET", path: "/moderation/users/\(userID.path)", admin: .ok),
            Route(method: "GET", path: "/admin", moderator: .forbidden, admin: .ok),
            // Posts aimed at nothing: a permitted role gets past the check and learns there is nothing there.
            Route(method: "POST", path: "/moderation/flags/\(missing)/resolve", admin: .conflict),
            Route(method: "POST", path: "/moderation/messages/\(missing)/delete", fields: reason, admin: .notFound),
            Route(method: "POST", path: "/moderation/messages/\(missing)/undelete", fields: reason, admin: .notFound),
            Route(method: "POST", path: "/moderation/messages/\(missing)/edit", fields: reason.merging(["text": "new"]) { a, _ in a }, admin: .notFound),
            Route(method: "POST", path: "/moderation/trees/\(missing)/halt", fields: reason, admin: .notFound),
            Route(method: "POST", path: "/moderation/trees/\(missing)/restart", fields: reason, admin: .notFound),
            Route(method: "POST", path: "/moderation/users/\(missing)/notes", fields: ["notes": "n"], admin: .notFound),
            Route(method: "POST", path: "/moderation/users/\(missing)/ban", fields: reason, admin: .notFound),
            Route(method: "POST", path: "/moderation/users/\(missing)/unban", fields: reason, admin: .notFound),
            Route(method: "POST", path: "/moderation/users/\(missing)/role", fields: reason.merging(["role": "general"]) { a, _ in a }, admin: .notFound),
        ]
    }

    func send(_ visitor: Visitor, _ route: Route) async throws -> Visitor.Page {
        route.method == "GET" ? try await visitor.get(route.path) : try await visitor.post(route.path, route.fields)
    }

    @Test("signed-out, general, banned, moderator and admin visitors")
    func matrix() async throws {
        try await WebTestApp.run { client, database in
            let plain = try await Contributor.signIn(client, name: "Plain")
            let prompt = try #require(try await plain.takeTask(kind: "initial_prompt"))
            try await plain.complete(prompt)
            let messageID = try #require(try await Staff.firstMessageID(database))
            let plainID = try await Staff.userID(database, name: "Plain")
            let routes = Self.routes(messageID: messageID, userID: plainID)

            let anonymous = Visitor(client)
            try await anonymous.get("/signin")
            for route in routes {
                let page = try await send(anonymous, route)
                if route.method == "GET" {
                    #expect(page.status == .seeOther && page.location == "/signin", "signed out \(route.method) \(route.path): \(page.status)")
                } else {
                    #expect(page.status == .unauthorized, "signed out \(route.method) \(route.path): \(page.status)")
                }
            }

            try await plain.visitor.get("/dashboard")
            for route in routes {
                let page = try await send(plain.visitor, route)
                #expect(page.status == .forbidden, "general \(route.method) \(route.path): \(page.status)")
            }

            let moderator = try await Contributor.signIn(client, name: "Mod")
            try await Staff.promote(database, name: "Mod", to: .moderator)
            let admin = try await Contributor.signIn(client, name: "Boss")
            try await Staff.promote(database, name: "Boss", to: .admin)
            for (visitor, isAdmin) in [(moderator.visitor, false), (admin.visitor, true)] {
                try await visitor.get("/dashboard")
                for route in routes {
                    let page = try await send(visitor, route)
                    let expected = isAdmin ? route.admin : (route.moderator ?? route.admin)
                    #expect(page.status == expected, "\(isAdmin ? "admin" : "moderator") \(route.method) \(route.path): \(page.status) \(page.text.prefix(200))")
                }
            }

            // A banned moderator is answered with the suspension page once and is signed out from then on.
            let fallen = try await Contributor.signIn(client, name: "Fallen")
            try await Staff.promote(database, name: "Fallen", to: .moderator)
            try await fallen.visitor.get("/dashboard")
            try await database.withConnection { connection in
                try await connection.query("UPDATE users SET banned = true, banned_reason = 'abuse' WHERE display_name = 'Fallen'", logger: database.logger)
            }
            var first = true
            for route in routes {
                let page = try await send(fallen.visitor, route)
                if first {
                    #expect(page.status == .forbidden && page.text.contains("suspended"), "banned \(route.path): \(page.status)")
                    first = false
                } else {
                    #expect(page.status != .ok && page.status.code < 500, "banned \(route.method) \(route.path): \(page.status)")
                    #expect(!(page.status == .notFound || page.status == .conflict), "a banned user never reaches the handler: \(route.path)")
                }
            }
        }
    }
}
