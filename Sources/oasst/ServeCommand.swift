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
        InferenceConsole.ensureBLASKernel()
        let logger = Console.logger("oasst")
        let configuration = try Console.configuration()
        if migrate {
            // A client of its own: a Postgres client runs once, and the server's runs in the service group below.
            let migrations = Database(url: configuration.databaseURL, logger: logger)
            try await Console.withDatabase(migrations) {
                try await MigrationRunner(database: migrations, migrations: Migration.load(from: configuration.resourceRoot.appendingPathComponent("migrations"))).migrate()
            }
        }
        let database = Database(url: configuration.databaseURL, logger: logger)
        let generator = try Self.generator(configuration, logger: logger)
        let app = try await WebApplication.build(configuration: configuration, database: database, logger: logger, generator: generator)
        logger.info("serving on \(configuration.publicURL.absoluteString)")
        // SIGTERM and SIGINT shut the group down gracefully: in-flight requests finish, then the process exits.
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [.init(service: app)]
        if syntheticReplies.isEnabled, let generator {
            // The chat and the model-written replies share one engine: one copy of the weights, one batch.
            let writer = SyntheticReplyWriter(database: database, generator: generator, policy: syntheticReplies, logger: logger)
            // The model is optional to contributors: its end never takes the server down.
            services.append(.init(service: writer, successTerminationBehavior: .ignore, failureTerminationBehavior: .ignore))
        }
        try await ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)).run()
    }

    /// A remote OpenAI-compatible server when `OASST_INFERENCE_URL` is set, else the local model. Without
    /// either the site still runs; only the chat says it has no model.
    static func generator(_ configuration: ServerConfiguration, logger: Logger) throws -> (any TextGenerator)? {
        if let url = configuration.inferenceURL {
            let model = ProcessInfo.processInfo.environment["OASST_INFERENCE_MODEL"] ?? "default"
            logger.info("chat replies come from \(url.absoluteString) (model \(model))")
            return RemoteGenerator(baseURL: url.absoluteString, model: model, apiKey: ProcessInfo.processInfo.environment["OASST_INFERENCE_KEY"])
        }
        guard FileManager.default.fileExists(atPath: configuration.modelPath) else {
            logger.warning("no model at \(configuration.modelPath) (OASST_MODEL); the chat is off until one is there")
            return nil
        }
        let engine = try InferenceEngine.load(path: configuration.modelPath)
        logger.info("loaded \(engine.modelName) for the chat")
        return engine
    }
}
