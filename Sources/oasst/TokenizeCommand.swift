import ArgumentParser
import Foundation
import Inference

/// `oasst tokenize`: the token ids of a text, as JSON, exactly as the model will see them.
struct TokenizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenize",
        abstract: "Print the token ids of a text as a JSON array.")

    @OptionGroup var model: ModelOptions
    @Argument(help: "The text to tokenize.") var text: String
    @Flag(help: "Do not add <bos> even when the model asks for it.") var noBOS = false
    @Flag(help: "Parse control tokens written in the text, such as <start_of_turn>.") var special = false
    @Flag(help: "Print each token's text next to its id instead of a bare array.") var pieces = false

    func run() throws {
        let tokenizer = try model.load().tokenizer
        let ids = tokenizer.encode(text, addBOS: !noBOS && tokenizer.addsBOS, parseSpecial: special)
        if pieces {
            let rows = ids.map { id -> String in
                let piece = String(decoding: tokenizer.piece(id), as: UTF8.self)
                let json = (try? JSONEncoder().encode(piece)).map { String(decoding: $0, as: UTF8.self) } ?? "\"\""
                return "  [\(id), \(json)]"
            }
            print("[\n" + rows.joined(separator: ",\n") + "\n]")
        } else {
            print("[" + ids.map(String.init).joined(separator: ", ") + "]")
        }
    }
}
