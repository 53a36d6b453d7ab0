import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import Storage

/// Assembles the Hummingbird application: middleware in the order a request meets it, then the routes.
public enum WebApplication {
    public static func build(
        configuration: ServerConfiguration,
        database: Database,
        logger: Logger
    ) async throws -> some ApplicationProtocol {
        AppMetrics.start()
        let renderer = try await TemplateRenderer(templatesFolder: configuration.resourceRoot.appendingPathComponent("Templates"))
        let views = Views(
            renderer: renderer,
            site: .init(mailInboxURL: configuration.mailInboxURL?.absoluteString)
        )
        let router = Router(context: AppRequestContext.self)
        router.add(middleware: RequestLogMiddleware())
        router.add(middleware: MetricsMiddleware())
        router.add(middleware: SecurityHeadersMiddleware())
        router.add(middleware: ErrorPageMiddleware(views: views))
        router.add(middleware: FileMiddleware(
            configuration.resourceRoot.appendingPathComponent("Public").path,
            cacheControl: .init([
                (.textCss, [.public, .maxAge(3600)]),
                (.applicationJavaScript, [.public, .maxAge(3600)]),
                (.imagePng, [.public, .maxAge(86400)]),
                (.imageSvg, [.public, .maxAge(86400)]),
            ]),
            logger: logger
        ))

        SiteRoutes(views: views).register(on: router)
        HealthRoutes(database: database).register(on: router)
        for (name, path) in [("Sign in", "/signin"), ("Tasks", "/tasks"), ("Chat", "/chats"), ("Leaderboard", "/leaderboard")] {
            SiteRoutes.comingSoon(name, path: path, views: views, on: router)
        }

        return Application(
            router: router,
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "oasst"),
            services: [database.client],
            logger: logger
        )
    }
}
