import Foundation
import Mail

/// Writes and sends the sign-in mail: a text part and an HTML part with the same link.
struct SignInMailer: Sendable {
    let client: SMTPClient
    let publicURL: URL
    let from: String
    let renderer: TemplateRenderer

    func sendSignInLink(to address: String, token: String, lifetime: Duration) async throws {
        var components = URLComponents(url: publicURL.appendingPathComponent("signin/verify"), resolvingAgainstBaseURL: false)!
        components.queryItems = [URLQueryItem(name: "token", value: token)]
        let link = components.url!.absoluteString
        let values: [String: Any] = ["link": link, "minutes": Int(lifetime.components.seconds / 60)]
        let message = MailMessage(
            from: from, fromName: "Open Assistant", to: address, subject: "Your sign-in link for Open Assistant",
            text: try renderer.renderMail("signin_link.txt", values),
            html: try renderer.renderMail("signin_link.html", values)
        )
        try await client.send(message)
    }
}
