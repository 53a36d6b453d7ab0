import ArgumentParser
import Feedback
import Foundation

/// `oasst consensus`: ranked pairs over rankings read from stdin, so the rule can be checked from outside.
struct ConsensusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "consensus",
        abstract: "Merge rankings into one consensus order (ranked pairs).",
        discussion: """
            Reads {"rankings": [["id1","id2",...], ...]} on stdin, each list best first (a list may hold only \
            some of the ids), and prints {"ranking": [...]} best first. Ties go to the smaller id.
            """
    )

    func run() throws {
        let input = FileHandle.standardInput.readDataToEndOfFile()
        do {
            FileHandle.standardOutput.write(try ConsensusJSON.respond(to: input))
        } catch {
            FileHandle.standardError.write(Data("oasst consensus: \(error.description)\n".utf8))
            throw ExitCode(1)
        }
    }
}
