import Feedback
import Foundation
import Hummingbird
import Inference
import Logging
import Mail
import ServiceLifecycle
import Storage

/// Assembles the Hummingbird application: middleware in the order a request meets it, then the routes.
public enum WebApplication {
    public static func build(
        configuration: ServerConfiguration,
        database: Database,
        logger: Logger,
        runsDatabaseClient: Bool = true,
        generator: (any TextGenerator)? = nil
    ) async throws -> some ApplicationProtocol {
        AppMetrics.start()
        let renderer = try await TemplateRenderer(templatesFolder: configuration.resourceRoot.appendingPathComponent("Templates"))
        let views = Views(
            renderer: renderer,
            site: .init(mailInboxURL: configuration.mailInboxURL?.absoluteString)
        )
        let users = UserStore(database: database)
        let sessions = SessionStore(database: database)
        let smtp: SMTPConfiguration
        do {
            smtp = try SMTPConfiguration(url: configuration.smtpURL)
        } catch {
            throw ConfigurationError(variable: "OASST_SMTP_URL", value: configuration.smtpURL, reason: error.description)
        }
        let mailer = SignInMailer(client: SMTPClient(configuration: smtp, logger: logger), publicURL: configuration.publicURL, from: configuration.mailFrom, renderer: renderer)

        let router = Router(context: AppRequestContext.self)
        router.add(middleware: RequestLogMiddleware())
        router.add(middleware: MetricsMiddleware())
        router.add(middleware: SecurityHeadersMiddleware())
        router.add(middleware: ErrorPageMiddleware(views: views))
        let publicFolder = configuration.resourceRoot.appendingPathComponent("Public").path
        router.add(middleware: PublicFilesMiddleware(folder: publicFolder, files: FileMiddleware(
            publicFolder,
            cacheControl: .init([
                (.textCss, [.public, .maxAge(3600)]),
                (.textJavascript, [.public, .maxAge(3600)]),
                (.imagePng, [.public, .maxAge(86400)]),
                (.imageSvg, [.public, .maxAge(86400)]),
            ]),
            logger: logger
        )))
        router.add(middleware: SessionMiddleware(sessions: sessions, users: users, views: views))
        router.add(middleware: CSRFMiddleware(secureCookies: configuration.usesHTTPS))

        SiteRoutes(views: views).register(on: router)
        HealthRoutes(database: database).register(on: router)
        SignInRoutes(
            views: views, users: users, sessions: sessions, tokens: SignInTokenStore(database: database),
            limits: RateLimitStore(database: database), mailer: mailer,
            tokenLifetime: configuration.signInTokenLifetime, secureCookies: configuration.usesHTTPS
        ).register(on: router)
        AccountRoutes(views: views, users: users, sessions: sessions).register(on: router)
        let trees = TreeStore(database: database)
        var treeManager = TreeManagerConfiguration.default
        treeManager.maxPendingTasksPerUser = configuration.maxPendingTasks
        treeManager.recentTasksSpanSeconds = configuration.recentTaskSpanSeconds
        TaskRoutes(
            views: views, desk: TaskDesk(database: database, config: treeManager), trees: trees, limits: RateLimitStore(database: database),
            requestLimit: .init(bucket: "task-request", count: configuration.taskRequestsPerFourMinutes, window: .seconds(240))
        ).register(on: router)
        MessageRoutes(views: views, trees: trees, reactions: Reactions(database: database)).register(on: router)
        let chat = ChatFeature(configuration: configuration, database: database, views: views, generator: generator, logger: logger)
        chat.register(on: router)
        CommunityRoutes.register(on: router, views: views, database: database, users: users, desk: TaskDesk(database: database, config: treeManager))
        AdminExportRoutes(views: views, exporter: TreeExporter(database: database)).register(on: router)

        // The pool runs as a service of the application unless its owner (a test) already runs it.
        var services: [any Service] = runsDatabaseClient ? [database.client] : []
        services.append(ScoreRefresher(
            scores: ScoreBook(database: database), rankInterval: configuration.leaderboardRankInterval, windowInterval: .seconds(300), logger: logger
        ))
        services.append(SearchIndexer(index: SearchIndex(database: database), interval: .seconds(5), logger: logger))
        return Application(
            router: router,
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "oasst"),
            services: services + chat.services,
            logger: logger
        )
    }
}
