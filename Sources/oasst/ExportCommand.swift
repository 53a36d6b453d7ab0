import ArgumentParser
import Feedback
import Foundation
import Storage

/// `oasst export`: the collected trees as oasst JSON lines, flat dataset rows, or training views.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export message trees (oasst format), flat messages, SFT threads or ranked pairs.",
        discussion: "Default: trees in ready_for_export, accepted non-deleted messages, no tree with a synthetic message. A file name ending in .gz is gzipped."
    )

    @Option(help: "Output file, or - for standard output.") var output = "-"
    @Option(help: "ready_for_export (default), all, or any tree state.") var state = "ready_for_export"
    @Option(help: "Only trees in this language.") var lang: String?
    @Flag(help: "Include deleted messages.") var includeDeleted = false
    @Flag(help: "Include messages not accepted by review.") var includeSpam = false
    @Flag(help: "Include trees that hold synthetic (model-written) messages.") var includeSynthetic = false
    @Option(help: "Only this user's messages (written flat).") var user: String?
    @Flag(help: "Add label averages and counts.") var exportLabels = false
    @Flag(help: "Add emoji and ranking events.") var exportEvents = false
    @Option(help: "Anonymise every id with this seed.") var anonymizerSeed: String?
    @Option(help: "trees, flat, sft or pairs.") var format = "trees"
    @Option(help: "sft and pairs: keep only threads whose messages rank below K.") var topK: Int?

    func run() async throws {
        var options = ExportOptions()
        guard let format = ExportOptions.Format(rawValue: format) else { throw Console.Failure("unknown format '\(format)'; use trees, flat, sft or pairs") }
        options.format = format
        if state == "all" { options.state = nil } else {
            guard let state = TreeState(rawValue: state) else { throw Console.Failure("unknown tree state '\(state)'") }
            options.state = state
        }
        if let user {
            guard let id = UUID(uuidString: user) else { throw Console.Failure("--user expects a user id (UUID), got '\(user)'") }
            options.userID = id
        }
        options.lang = lang
        options.includeDeleted = includeDeleted
        options.includeSpam = includeSpam
        options.includeSynthetic = includeSynthetic
        options.exportLabels = exportLabels
        options.exportEvents = exportEvents
        options.anonymizerSeed = anonymizerSeed
        options.topK = topK

        let database = Database(url: try Console.configuration().databaseURL, logger: Console.logger("oasst.export"))
        try await Console.withDatabase(database) {
            let started = Date()
            let summary = try await TreeExporter(database: database).export(options, to: try FileLineOutput(path: output))
            let seconds = Date().timeIntervalSince(started)
            FileHandle.standardError.write(Data(String(
                format: "exported %ld trees, %ld messages, %ld lines in %.1f s (%.0f messages/s)\n",
                summary.trees, summary.messages, summary.lines, seconds, Double(summary.messages) / max(seconds, 0.001)).utf8))
        }
    }
}
