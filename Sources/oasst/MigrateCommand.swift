import ArgumentParser
import Foundation
import Storage

struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "migrate", abstract: "Apply pending database migrations.")

    @Flag(help: "List applied and pending migrations without applying anything.")
    var status = false

    func run() async throws {
        let logger = Console.logger("oasst.migrate")
        let configuration = try Console.configuration()
        let database = Database(url: configuration.databaseURL, logger: logger)
        let folder = configuration.resourceRoot.appendingPathComponent("migrations")
        do {
            let runner = MigrationRunner(database: database, migrations: try Migration.load(from: folder))
            try await Console.withDatabase(database) {
                if status {
                    let current = try await runner.status()
                    for migration in current.applied { print("applied  \(String(format: "%04d", migration.version))_\(migration.name)") }
                    for migration in current.pending { print("pending  \(String(format: "%04d", migration.version))_\(migration.name)") }
                    if current.applied.isEmpty && current.pending.isEmpty { print("no migrations") }
                } else {
                    let applied = try await runner.migrate()
                    print(applied.isEmpty ? "database is up to date" : "applied \(applied.count) migration(s): " + applied.map { "\($0.version)_\($0.name)" }.joined(separator: ", "))
                }
            }
        } catch let error as MigrationError {
            throw Console.Failure("migrate: \(error.description)")
        }
    }
}
