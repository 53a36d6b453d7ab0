import ArgumentParser
import Foundation
import Storage

/// `oasst import FILE`: oasst trees or flat messages into the database; running it twice adds nothing.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import an oasst export (trees or flat messages, gzip or not).",
        discussion: "Exported trees stay ready_for_export; unfinished ones wait in backlog_ranking. Unknown authors become placeholder users."
    )

    @Argument(help: "The .jsonl or .jsonl.gz file.") var file: String
    @Option(help: "Report progress every N lines.") var progressEvery = 10_000
    @Option(help: "Batches written at once (default: the number of cores, 2 to 8).") var writers: Int?

    func run() async throws {
        let database = Database(url: try Console.configuration().databaseURL, logger: Console.logger("oasst.import"))
        try await Console.withDatabase(database) {
            let started = Date()
            do {
                let importer = writers.map { TreeImporter(database: database, writers: $0) } ?? TreeImporter(database: database)
                let summary = try await importer.importFile(at: file, progressEvery: max(1, progressEvery)) { so in
                    FileHandle.standardError.write(Data("… \(so.lines) lines, \(so.messagesRead) messages read\n".utf8))
                }
                let seconds = Date().timeIntervalSince(started)
                FileHandle.standardError.write(Data(String(
                    format: "\(summary.description) in %.1f s (%.0f messages/s)\n", seconds,
                    Double(summary.messagesRead) / max(seconds, 0.001)).utf8))
                if summary.messagesImported > 0 {
                    FileHandle.standardError.write(Data(
                        "The server indexes the new messages for the moderators' search in the background.\n".utf8))
                }
            } catch let error as ImportError {
                throw Console.Failure("import \(file): \(error.description)")
            }
        }
    }
}
