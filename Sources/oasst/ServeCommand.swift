import ArgumentParser
import Foundation
import Hummingbird
import Inference
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
        let generator = try Self.generator(configuration, logger: logger)
        let app = try await WebApplication.build(configuration: configuration, database: database, logger: logger, generator: generator)
        logger.info("serving on \(configuration.publicURL.absoluteString)")
        // runService handles SIGTERM and SIGINT: in-flight requests finish, then the process exits.
        try await app.runService()
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
