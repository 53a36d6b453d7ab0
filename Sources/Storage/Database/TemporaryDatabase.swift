import Foundation
import Logging
import PostgresNIO

/// A database of its own for one test suite or one benchmark run: created with a random name,
/// migrated, and dropped afterwards, so runs never see each other's rows.
public enum TemporaryDatabase {
    /// Creates `oasst_tmp_<random>` on the server of `server`, migrates it, runs `body`, then drops it,
    /// also when `body` throws. An error of `body` wins over one of the drop; a server error leaves
    /// with its whole message, as `TemporaryDatabaseError`.
    public static func with<Result: Sendable>(
        server: DatabaseURL,
        migrationsFolder: URL,
        logger: Logger = TemporaryDatabase.quietLogger,
        _ body: (Database) async throws -> Result
    ) async throws -> Result {
        let name = "oasst_tmp_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
        try await administer(server: server, logger: logger, step: .create, statement: "CREATE DATABASE \"\(name)\"")
        let database = Database(url: server.with(database: String(name)), logger: logger)
        let outcome: Swift.Result<Result, Error> = await withTaskGroup(of: Void.self) { group in
            group.addTask { await database.client.run() }
            defer { group.cancelAll() }
            do {
                try await MigrationRunner(database: database, migrations: Migration.load(from: migrationsFolder)).migrate()
                return .success(try await body(database))
            } catch let error as PSQLError {
                return .failure(TemporaryDatabaseError(step: .use, cause: error))
            } catch {
                return .failure(error)
            }
        }
        do {
            try await administer(server: server, logger: logger, step: .drop, statement: "DROP DATABASE IF EXISTS \"\(name)\" WITH (FORCE)")
        } catch {
            if case .failure = outcome {
                logger.error("\(error)")
            } else {
                throw error
            }
        }
        return try outcome.get()
    }

    /// Only errors: the pool warns when a query waits for its first connection, which is expected here.
    public static var quietLogger: Logger {
        var logger = Logger(label: "oasst.tmpdb")
        logger.logLevel = .error
        return logger
    }

    /// Server states worth another try: the server is full of connections, a database is still in use
    /// (another CREATE DATABASE copying the template, or backends of a dropped database still exiting), or an
    /// autovacuum worker is in the database being dropped and this role may not end it (`scripts/setup` lets
    /// it; on another server the worker soon finishes).
    static let transientStates: Set<String> = ["53300", "55006", "57P03", "42501"]
    static let attempts = 5

    /// CREATE/DROP DATABASE cannot take bound parameters; the name is generated above, never user input.
    private static func administer(server: DatabaseURL, logger: Logger, step: TemporaryDatabaseError.Step, statement: String) async throws {
        let admin = Database(url: server, logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await admin.client.run() }
            defer { group.cancelAll() }
            for attempt in 1...attempts {
                do {
                    try await admin.withConnection { connection in
                        try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                    }
                    return
                } catch let error as PSQLError {
                    let state = error.serverInfo?[.sqlState] ?? ""
                    guard transientStates.contains(state), attempt < attempts else {
                        throw TemporaryDatabaseError(step: step, cause: error)
                    }
                    logger.warning("\(step.rawValue) of a temporary database: \(state), attempt \(attempt) of \(attempts)")
                    try await Task.sleep(for: .milliseconds(200 * attempt))
                }
            }
        }
    }
}

/// A server error around a temporary database, with the message PostgresNIO keeps out of its own description.
public struct TemporaryDatabaseError: Error, CustomStringConvertible {
    public enum Step: String, Sendable { case create = "creating", use = "using", drop = "dropping" }
    public let step: Step
    public let cause: String

    init(step: Step, cause: PSQLError) {
        self.step = step
        self.cause = String(reflecting: cause)
    }

    public var description: String { "\(step.rawValue) a temporary database failed: \(cause)" }
}
