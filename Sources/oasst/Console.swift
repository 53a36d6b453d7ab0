import Foundation
import Logging
import Storage
import Web

/// What every command shares: logging, configuration that names a bad variable, a database client.
enum Console {
    private static let bootstrapOnce: Void = {
        let level = ProcessInfo.processInfo.environment["OASST_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }()

    static func logger(_ label: String) -> Logger {
        _ = bootstrapOnce
        return Logger(label: label)
    }

    /// Reads the environment, or stops with the message naming the variable.
    static func configuration() throws -> ServerConfiguration {
        do {
            return try ServerConfiguration.fromEnvironment()
        } catch let error as ConfigurationError {
            throw Failure("configuration: \(error.description)")
        }
    }

    /// Runs `work` with the database client's connection pool running beside it.
    static func withDatabase<Result: Sendable>(_ database: Database, _ work: () async throws -> Result) async throws -> Result {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await database.client.run() }
            defer { group.cancelAll() }
            guard await database.isReachable(timeout: .seconds(5)) else {
                throw Failure("cannot reach the database at \(database.url); is it running? (scripts/setup starts the local one)")
            }
            return try await work()
        }
    }

    /// An error the command line prints as one plain sentence, with exit code 1.
    struct Failure: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }
}
