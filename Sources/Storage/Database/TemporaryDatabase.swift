import Foundation
import Logging
import PostgresNIO

/// A database of its own for one test suite or one benchmark run: created with a random name,
/// migrated, and dropped afterwards, so runs never see each other's rows.
public enum TemporaryDatabase {
    /// Creates `oasst_tmp_<random>` on the server of `server`, migrates it, runs `body`, then drops it,
    /// also when `body` throws.
    public static func with<Result: Sendable>(
        server: DatabaseURL,
        migrationsFolder: URL,
        logger: Logger = TemporaryDatabase.quietLogger,
        _ body: (Database) async throws -> Result
    ) async throws -> Result {
        let name = "oasst_tmp_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
        try await administer(server: server, logger: logger, statement: "CREATE DATABASE \"\(name)\"")
        let database = Database(url: server.with(database: String(name)), logger: logger)
        let outcome: Swift.Result<Result, Error> = await withTaskGroup(of: Void.self) { group in
            group.addTask { await database.client.run() }
            defer { group.cancelAll() }
            do {
                try await MigrationRunner(database: database, migrations: Migration.load(from: migrationsFolder)).migrate()
                return .success(try await body(database))
            } catch {
                return .failure(error)
            }
        }
        try await administer(server: server, logger: logger, statement: "DROP DATABASE IF EXISTS \"\(name)\" WITH (FORCE)")
        return try outcome.get()
    }

    /// Only errors: the pool warns when a query waits for its first connection, which is expected here.
    public static var quietLogger: Logger {
        var logger = Logger(label: "oasst.tmpdb")
        logger.logLevel = .error
        return logger
    }

    /// CREATE/DROP DATABASE cannot take bound parameters; the name is generated above, never user input.
    private static func administer(server: DatabaseURL, logger: Logger, statement: String) async throws {
        let admin = Database(url: server, logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await admin.client.run() }
            defer { group.cancelAll() }
            try await admin.withConnection { connection in
                try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
            }
        }
    }
}
