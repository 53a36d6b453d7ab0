import ArgumentParser
import Foundation
import Hummingbird
import Logging
import Storage
import Web

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Run the web server.")

    @Flag(help: "Apply pending migrations before serving.")
    var migrate = false

    func run() async throws {
        let logger = Console.logger("oasst")
        let configuration = try Console.configuration()
        let database = Database(url: configuration.databaseURL, logger: logger)
        if migrate {
            try await Console.withDatabase(database) {
                try await MigrationRunner(database: database, migrations: Migration.load(from: configuration.resourceRoot.appendingPathComponent("migrations"))).migrate()
            }
        }
        let app = try await WebApplication.build(configuration: configuration, database: database, logger: logger)
        logger.info("serving on \(configuration.publicURL.absoluteString)")
        // runService handles SIGTERM and SIGINT: in-flight requests finish, then the process exits.
        try await app.runService()
    }
}
