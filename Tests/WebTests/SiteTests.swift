import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Site shell")
struct SiteTests {
    @Test("home page renders inside the layout with security headers")
    func homePage() async throws {
        try await WebTestApp.run { client, _ in
            try await client.execute(uri: "/", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("text/html") == true)
                #expect(response.text.contains("<title>Open Assistant</title>"))
                #expect(response.text.contains("/css/app.css"))
                #expect(response.headers[.contentSecurityPolicy]?.contains("script-src 'self'") == true)
                #expect(response.headers[.xContentTypeOptions] == "nosniff")
                #expect(response.headers[.init("Referrer-Policy")!] == "same-origin")
                #expect(response.headers[.init("X-Request-Id")!]?.isEmpty == false)
            }
        }
    }

    @Test("unknown paths get the friendly 404 page")
    func notFound() async throws {
        try await WebTestApp.run { client, _ in
            try await client.execute(uri: "/definitely/not/here", method: .get) { response in
                #expect(response.status == .notFound)
                #expect(response.text.contains("Page not found"))
                #expect(response.text.contains("/css/app.css"))
            }
        }
    }

    @Test("static files carry cache headers")
    func staticFiles() async throws {
        try await WebTestApp.run { client, _ in
            try await client.execute(uri: "/css/app.css", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.cacheControl]?.contains("max-age=3600") == true)
                #expect(response.text.contains("prefers-color-scheme: dark"))
            }
        }
    }

    @Test("healthz answers 200 with the database up, and metrics are in Prometheus text format")
    func healthAndMetrics() async throws {
        try await WebTestApp.run { client, _ in
            // The check gives the database 2 s; on a machine busy with the rest of the suite a first
            // answer can miss that, so a few tries are allowed before "up" is required.
            var answer = (status: HTTPResponse.Status.serviceUnavailable, text: "")
            for _ in 0..<10 where answer.status != .ok {
                answer = try await client.execute(uri: "/healthz", method: .get) { ($0.status, $0.text) }
                if answer.status != .ok { try await Task.sleep(for: .seconds(1)) }
            }
            #expect(answer.status == .ok)
            #expect(answer.text.contains(#""database":"up""#))
            try await client.execute(uri: "/", method: .get) { _ in }
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.text.contains("# TYPE"))
                #expect(response.text.contains("http_requests_total") || response.text.contains("hb_requests"))
                #expect(response.text.contains("oasst_db_connections_in_use"))
            }
        }
    }
}
