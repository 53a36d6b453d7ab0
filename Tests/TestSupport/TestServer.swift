import Foundation
import Storage

/// Where the test suites create their own databases: the server of OASST_DATABASE_URL (scripts/setup starts it).
public enum TestServer {
    public static var url: DatabaseURL {
        let text = ProcessInfo.processInfo.environment["OASST_DATABASE_URL"] ?? "postgres://oasst@127.0.0.1:5432/oasst"
        return try! DatabaseURL(parsing: text)
    }

    /// The package root: Tests/TestSupport/TestServer.swift, three levels up.
    public static var projectRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// The shared Open Assistant data: `OASST_SHARED_DATA`, else `shared/data` beside the project
    /// (where a checkout normally sits), else the workplace's copy.
    public static func sharedData(_ relativePath: String) -> String {
        var candidates: [String] = []
        if let configured = ProcessInfo.processInfo.environment["OASST_SHARED_DATA"], !configured.isEmpty {
            candidates.append(configured)
        }
        candidates.append(projectRoot.deletingLastPathComponent().appendingPathComponent("shared/data").path)
        candidates.append("/work/shared/data")
        let paths = candidates.map { URL(fileURLWithPath: $0).appendingPathComponent(relativePath).path }
        return paths.first { FileManager.default.fileExists(atPath: $0) } ?? paths[0]
    }

    public static var projectMigrations: URL { projectRoot.appendingPathComponent("migrations") }

    /// Runs `body` with a fresh, migrated database of its own, dropped afterwards.
    public static func withDatabase<Result: Sendable>(_ body: (Database) async throws -> Result) async throws -> Result {
        try await TemporaryDatabase.with(server: url, migrationsFolder: projectMigrations, body)
    }

    /// A fresh folder of migration files for one test.
    public static func migrationsFolder(_ files: [String: String]) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("oasst-migrations-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for (name, sql) in files {
            try sql.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        return folder
    }
}
