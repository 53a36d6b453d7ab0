import ArgumentParser
import Feedback
import Foundation
import Hummingbird
import Inference
import Logging
import ServiceLifecycle
import Storage
import Web

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Run the web server.")

    @Flag(help: "Apply pending migrations before serving.")
    var migrate = false

    func run() async throws {
        let syntheticReplies: SyntheticReplyPolicy
        do { syntheticReplies = try .fromEnvironment() } catch let error as ConfigurationError { throw Console.Failure("configuration: \(error.description)") }
        if syntheticReplies.isEnabled { InferenceConsole.ensureBLASKernel() }
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
        // SIGTERM and SIGINT shut the group down gracefully: in-flight requests finish, then the process exits.
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [.init(service: app)]
        if syntheticReplies.isEnabled {
            let generator: any TextGenerator = try InferenceEngine.load(path: configuration.modelPath)
            let writer = SyntheticReplyWriter(database: database, generator: generator, policy: syntheticReplies, logger: logger)
            // The model is optional to contributors: its end never takes the server down.
            services.append(.init(service: writer, successTerminationBehavior: .ignore, failureTerminationBehavior: .ignore))
        }
        try await ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)).run()
    }
}
