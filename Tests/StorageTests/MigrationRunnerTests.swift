import Foundation
import Logging
import PostgresNIO
import Storage
import TestSupport
import Testing

@Suite("Migrations")
struct MigrationRunnerTests {
    let first = "CREATE TABLE widgets (id integer PRIMARY KEY);"
    let second = "ALTER TABLE widgets ADD COLUMN name text; INSERT INTO widgets VALUES (1, 'one');"

    @Test("applies pending files in order, once")
    func appliesInOrderOnce() async throws {
        let folder = try TestServer.migrationsFolder(["0002_names.sql": second, "0001_widgets.sql": first])
        let empty = try TestServer.migrationsFolder([:])
        try await TemporaryDatabase.with(server: TestServer.url, migrationsFolder: empty) { database in
            let runner = MigrationRunner(database: database, migrations: try Migration.load(from: folder))
            let pendingBefore = try await runner.status().pending.map(\.version)
            #expect(pendingBefore == [1, 2])
            let applied = try await runner.migrate()
            #expect(applied.map(\.name) == ["widgets", "names"])
            let again = try await runner.migrate()
            #expect(again.isEmpty)
            let status = try await runner.status()
            #expect(status.applied.map(\.version) == [1, 2] && status.pending.isEmpty)
            let names = try await database.withConnection { connection in
                var names: [String] = []
                for try await name in try await connection.query("SELECT name FROM widgets", logger: database.logger).decode(String.self) {
                    names.append(name)
                }
                return names
            }
            #expect(names == ["one"])
        }
    }

    @Test("refuses an applied file that was edited")
    func refusesTamperedFile() async throws {
        let empty = try TestServer.migrationsFolder([:])
        try await TemporaryDatabase.with(server: TestServer.url, migrationsFolder: empty) { database in
            try await MigrationRunner(database: database, migrations: [Migration(version: 1, name: "widgets", sql: first)]).migrate()
            let edited = MigrationRunner(database: database, migrations: [Migration(version: 1, name: "widgets", sql: first + " -- changed")])
            await #expect(throws: MigrationError.checksumMismatch(version: 1, name: "widgets")) {
                try await edited.migrate()
            }
            let message = MigrationError.checksumMismatch(version: 1, name: "widgets").description
            #expect(message.contains("edited after it was applied"))
        }
    }

    @Test("a failing migration is rolled back whole")
    func failingMigrationRollsBack() async throws {
        let empty = try TestServer.migrationsFolder([:])
        try await TemporaryDatabase.with(server: TestServer.url, migrationsFolder: empty) { database in
            let broken = Migration(version: 1, name: "broken", sql: "CREATE TABLE half (id int); SELECT no_such_function();")
            await #expect(throws: MigrationError.self) {
                try await MigrationRunner(database: database, migrations: [broken]).migrate()
            }
            let tables = try await database.withConnection { connection in
                var count = 0
                for try await n in try await connection.query("SELECT count(*)::int FROM pg_tables WHERE tablename = 'half'", logger: database.logger).decode(Int.self) {
                    count = n
                }
                return count
            }
            #expect(tables == 0)
            let status = try await MigrationRunner(database: database, migrations: [broken]).status()
            #expect(status.pending.count == 1)
        }
    }

    @Test("two processes migrating at once apply each file exactly once")
    func concurrentRunnersAreSafe() async throws {
        let empty = try TestServer.migrationsFolder([:])
        try await TemporaryDatabase.with(server: TestServer.url, migrationsFolder: empty) { database in
            let migrations = (1...5).map { Migration(version: $0, name: "t\($0)", sql: "CREATE TABLE t\($0) (id int); SELECT pg_sleep(0.05);") }
            // A second client is a second process as far as the server can tell: its own connections.
            let other = Database(url: database.url, logger: database.logger)
            let counts = try await withThrowingTaskGroup(of: Int.self) { group in
                group.addTask { await other.client.run(); return -1 }
                group.addTask { try await MigrationRunner(database: database, migrations: migrations).migrate().count }
                group.addTask { try await MigrationRunner(database: other, migrations: migrations).migrate().count }
                var counts: [Int] = []
                for try await count in group where count >= 0 {
                    counts.append(count)
                    if counts.count == 2 { group.cancelAll() }
                }
                return counts
            }
            #expect(counts.sorted() == [0, 5])
        }
    }

    @Test("file names are checked")
    func badFileNames() throws {
        let folder = try TestServer.migrationsFolder(["first.sql": first])
        #expect(throws: MigrationError.badFileName("first.sql")) { try Migration.load(from: folder) }
        let duplicate = try TestServer.migrationsFolder(["0001_a.sql": first, "0001_b.sql": second])
        #expect(throws: MigrationError.duplicateVersion(1)) { try Migration.load(from: duplicate) }
    }

    @Test("the project's own migrations apply to an empty database")
    func projectMigrationsApply() async throws {
        try await TemporaryDatabase.with(server: TestServer.url, migrationsFolder: TestServer.projectMigrations) { database in
            let status = try await MigrationRunner(database: database, migrations: Migration.load(from: TestServer.projectMigrations)).status()
            #expect(!status.applied.isEmpty && status.pending.isEmpty)
        }
    }
}

@Suite("Database URL")
struct DatabaseURLTests {
    @Test func parsesFullURL() throws {
        let url = try DatabaseURL(parsing: "postgres://app:s%40cret@db.example:6543/oasst?sslmode=require")
        #expect(url.host == "db.example" && url.port == 6543 && url.username == "app")
        #expect(url.password == "s@cret" && url.database == "oasst" && url.requireTLS)
        #expect(!url.description.contains("s@cret"))
    }

    @Test func rejectsBadURLs() {
        for bad in ["mysql://a@b/c", "postgres://host/db", "postgres://u@host/", "not a url", "postgres://u@h/db?sslmode=maybe"] {
            #expect(throws: DatabaseURL.Invalid.self) { try DatabaseURL(parsing: bad) }
        }
    }
}
