import Foundation
import Hummingbird

/// Builds whole pages: a page template's own values plus what the layout needs on every page.
public struct Views: Sendable {
    let renderer: TemplateRenderer
    let site: SiteInfo

    public struct SiteInfo: Sendable {
        public var name = "Open Assistant"
        /// The development mail catcher's inbox, linked from the sign-in pages when set.
        public var mailInboxURL: String?
    }

    public init(renderer: TemplateRenderer, site: SiteInfo) {
        self.renderer = renderer
        self.site = site
    }

    public func page(
        _ template: String, title: String, _ values: [String: Any] = [:],
        context: AppRequestContext, status: HTTPResponse.Status = .ok, section: String? = nil
    ) throws -> HTMLPage {
        var all = values
        all["title"] = title
        all["siteName"] = site.name
        all["requestID"] = context.requestID
        if let section { all["section_\(section)"] = true }
        if let inbox = site.mailInboxURL { all["mailInboxURL"] = inbox }
        all["csrf"] = context.csrfToken
        if let user = context.user {
            var current: [String: Any] = [
                "displayName": user.displayName ?? "Account",
                "isModerator": user.role >= .moderator,
                "isAdmin": user.role == .admin,
            ]
            current["id"] = user.id.uuidString
            all["currentUser"] = current
        }
        return HTMLPage(html: try renderer.render(template, all), status: status)
    }
}
