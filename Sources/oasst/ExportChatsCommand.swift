import ArgumentParser
import Foundation
import Storage

/// `oasst export-chats`: chats whose owners allow it, as oasst trees with synthetic assistant replies.
struct ExportChatsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export-chats",
        abstract: "Export chats as oasst trees; chats with \"do not use my data\" and API calls are left out."
    )

    @Option(help: "Output file, or - for standard output; .gz is gzipped.") var output = "-"

    func run() async throws {
        let database = Database(url: try Console.configuration().databaseURL, logger: Console.logger("oasst.export"))
        try await Console.withDatabase(database) {
            let counts = try await ChatExporter(database: database).export(to: try FileLineOutput(path: output))
            FileHandle.standardError.write(Data("exported \(counts.trees) chat trees, \(counts.messages) messages\n".utf8))
        }
    }
}
