import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Storage
import TestSupport
import Web

/// Builds the real application on a fresh database and drives it over HTTP in-process.
enum WebTestApp {
    static func configuration(database: Database) -> ServerConfiguration {
        // Contributors in the tests take tasks far faster than people do; the task-request limit has a test of its own.
        ServerConfiguration(databaseURL: database.url, port: 0, resourceRoot: TestServer.projectRoot, taskRequestsPerFourMinutes: 100_000,
                            // Test contributors leave the "next task" offered after each submit untaken.
                            maxPendingTasks: 100_000)
    }

    static func run(
        adjusting adjust: @escaping @Sendable (inout ServerConfiguration) -> Void = { _ in },
        _ body: @escaping @Sendable (any TestClientProtocol, Database) async throws -> Void
    ) async throws {
        // A database's pool meters bind to the metrics system when it is made, so it must be bootstrapped first.
        AppMetrics.start()
        try await TestServer.withDatabase { database in
            var configuration = configuration(database: database)
            adjust(&configuration)
            try await run(configuration: configuration, database: database) { client in
                try await body(client, database)
            }
        }
    }

    static func run(
        configuration: ServerConfiguration, database: Database,
        _ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void
    ) async throws {
        var logger = Logger(label: "oasst.test")
        logger.logLevel = .warning
        let app = try await WebApplication.build(configuration: configuration, database: database, logger: logger, runsDatabaseClient: false)
        try await app.test(.router) { client in
            try await body(client)
        }
    }
}

extension TestResponse {
    var text: String { String(buffer: body) }
}
