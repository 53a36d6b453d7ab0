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
        ServerConfiguration(databaseURL: database.url, port: 0, resourceRoot: TestServer.projectRoot)
    }

    static func run(_ body: @escaping @Sendable (any TestClientProtocol, Database) async throws -> Void) async throws {
        try await TestServer.withDatabase { database in
            var logger = Logger(label: "oasst.test")
            logger.logLevel = .warning
            let app = try await WebApplication.build(configuration: configuration(database: database), database: database, logger: logger)
            try await app.test(.router) { client in
                try await body(client, database)
            }
        }
    }
}

extension TestResponse {
    var text: String { String(buffer: body) }
}
