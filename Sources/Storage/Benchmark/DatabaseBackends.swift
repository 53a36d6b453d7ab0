import PostgresNIO

/// The server processes behind a database's connections, so a benchmark on the same machine can read how much
/// CPU the database spent on its behalf.
public enum DatabaseBackends {
    public static func processIDs(of database: Database) async throws -> [Int32] {
        try await database.withConnection { connection in
            var pids: [Int32] = []
            let rows = try await connection.query(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database()", logger: database.logger)
            for try await pid in rows.decode(Int32.self) { pids.append(pid) }
            return pids
        }
    }
}
