import Foundation
import Logging
import PostgresNIO

/// Applies `migrations/*.sql` in order. An advisory lock makes two processes migrating at once safe:
/// the second waits, then finds nothing left to do.
public struct MigrationRunner: Sendable {
    public struct Status: Sendable, Equatable {
        public var applied: [Migration]
        public var pending: [Migration]
    }

    /// An arbitrary constant shared by every `oasst` process: the key of the migration advisory lock.
    static let lockKey: Int64 = 0x6F61_7373_745F_6D67

    let database: Database
    let migrations: [Migration]

    public init(database: Database, migrations: [Migration]) {
        self.database = database
        self.migrations = migrations
    }

    /// Applies what is pending and returns it; refuses to run when an applied file was edited.
    @discardableResult
    public func migrate() async throws -> [Migration] {
        try await withLock { connection in
            let applied = try await verifiedApplied(connection)
            var done: [Migration] = []
            for migration in migrations where applied[migration.version] == nil {
                try await apply(migration, on: connection)
                database.logger.info("applied migration \(migration.version)_\(migration.name)")
                done.append(migration)
            }
            return done
        }
    }

    public func status() async throws -> Status {
        try await withLock { connection in
            let applied = try await verifiedApplied(connection)
            return Status(
                applied: migrations.filter { applied[$0.version] != nil },
                pending: migrations.filter { applied[$0.version] == nil }
            )
        }
    }

    private func withLock<Result: Sendable>(_ work: (PostgresConnection) async throws -> Result) async throws -> Result {
        try await database.withConnection { connection in
            try await connection.query("SELECT pg_advisory_lock(\(Self.lockKey))", logger: database.logger)
            do {
                try await ensureTable(connection)
                let result = try await work(connection)
                try await connection.query("SELECT pg_advisory_unlock(\(Self.lockKey))", logger: database.logger)
                return result
            } catch {
                _ = try? await connection.query("SELECT pg_advisory_unlock(\(Self.lockKey))", logger: database.logger)
                throw error
            }
        }
    }

    private func ensureTable(_ connection: PostgresConnection) async throws {
        try await connection.query(
            """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version integer PRIMARY KEY,
                name text NOT NULL,
                checksum text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now()
            )
            """,
            logger: database.logger
        )
    }

    /// The applied versions with their checksums, after checking each still matches its file.
    private func verifiedApplied(_ connection: PostgresConnection) async throws -> [Int: String] {
        var applied: [Int: String] = [:]
        let rows = try await connection.query(
            "SELECT version, name, checksum FROM schema_migrations ORDER BY version", logger: database.logger
        )
        for try await (version, name, checksum) in rows.decode((Int, String, String).self) {
            applied[version] = checksum
            guard let file = migrations.first(where: { $0.version == version }) else {
                throw MigrationError.appliedButMissing(version: version, name: name)
            }
            if file.checksum != checksum {
                throw MigrationError.checksumMismatch(version: version, name: file.name)
            }
        }
        return applied
    }

    private func apply(_ migration: Migration, on connection: PostgresConnection) async throws {
        // The file is trusted project source, never user input; it runs statement by statement
        // inside one transaction, so a failure anywhere leaves nothing behind.
        let logger = database.logger
        do {
            try await connection.query("BEGIN", logger: logger)
            for statement in SQLScript.statements(in: migration.sql) {
                try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
            }
            try await connection.query(
                """
                INSERT INTO schema_migrations (version, name, checksum)
                VALUES (\(migration.version), \(migration.name), \(migration.checksum))
                """,
                logger: logger
            )
            try await connection.query("COMMIT", logger: logger)
        } catch {
            _ = try? await connection.query("ROLLBACK", logger: logger)
            throw MigrationError.failed(version: migration.version, name: migration.name, reason: String(reflecting: error))
        }
    }
}
