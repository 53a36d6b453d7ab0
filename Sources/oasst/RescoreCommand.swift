import ArgumentParser
import Foundation
import Storage

/// Recounts every contributor's leaderboard numbers from the journal, which holds every accepted action.
/// For a database filled by bulk loading, or after the log reported scores that were not counted.
struct RescoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rescore", abstract: "Recount every contributor's scores from the journal.")

    func run() async throws {
        let logger = Console.logger("oasst.rescore")
        let configuration = try Console.configuration()
        let database = Database(url: configuration.databaseURL, logger: logger)
        try await Console.withDatabase(database) {
            let book = ScoreBook(database: database)
            try await book.rebuildFromJournal()
            try await book.refreshRanks()
            print("scores recounted from the journal")
        }
    }
}
