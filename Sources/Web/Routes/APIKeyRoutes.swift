import Foundation
import Hummingbird
import Storage

/// API keys for the OpenAI-compatible API, created and revoked from the account pages.
struct APIKeyRoutes {
    let views: Views
    let keys: APIKeyStore
    let publicURL: URL
    let modelName: String?

    func register(on router: Router<AppRequestContext>) {
        router.get("/account/api-keys", use: list)
        router.post("/account/api-keys", use: create)
        router.post("/account/api-keys/:key/revoke", use: revoke)
    }

    @Sendable func list(request: Request, context: AppRequestContext) async throws -> Response {
        try await page(context: context)
    }

    /// The new key is shown on this one page and never again.
    @Sendable func create(request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let existing = try await keys.keys(userID: user.id)
        guard existing.count < 20 else { throw AppError.badRequest("You have 20 keys already. Revoke one you no longer use first.") }
        let created = try await keys.create(userID: user.id, name: context.form["name"] ?? "")
        return try await page(context: context, newKey: created.secret)
    }

    @Sendable func revoke(request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireUser()
        guard let raw = context.parameters.get("key"), let id = UUID(uuidString: raw) else { throw AppError.notFound }
        do {
            try await keys.revoke(id, userID: user.id)
        } catch ChatFailure.notFound {
            throw AppError.notFound
        }
        return redirect(to: "/account/api-keys")
    }

    private func page(context: AppRequestContext, newKey: String? = nil) async throws -> Response {
        let user = try context.requireUser()
        let list = try await keys.keys(userID: user.id).map { key -> [String: Any] in
            [
                "id": key.id.uuidString.lowercased(), "name": key.name, "prefix": key.prefix,
                "created": key.createdAt.formatted(date: .abbreviated, time: .shortened),
                "lastUsed": key.lastUsedAt?.formatted(date: .abbreviated, time: .shortened) ?? "never",
            ]
        }
        var values: [String: Any] = [
            "keys": list, "hasKeys": !list.isEmpty, "baseURL": publicURL.absoluteString + "/v1", "modelName": modelName ?? "",
        ]
        if let newKey { values["newKey"] = newKey }
        return try views.page("api_keys", title: "API keys", values, context: context, section: "account").response
    }
}
