import ArgumentParser
import Foundation
import Inference

/// `oasst chat`: a conversation in the terminal, with the model's chat format applied.
struct ChatCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chat",
        abstract: "Chat with a local GGUF model in the terminal.",
        discussion: "Type a message and press Enter. /reset starts over, /system TEXT sets the system prompt, /quit (or end of input) leaves.")

    @OptionGroup var model: ModelOptions
    @OptionGroup var sampling: SamplingOptions
    @Option(help: "System prompt.") var system: String?
    @Option(help: "Chat format: gemma, chatml, llama3, oasst or transcript (default: detected).") var format: String?
    @Flag(help: "Print token counts and speed after each reply.") var stats = false

    func run() async throws {
        InferenceConsole.ensureBLASKernel()
        var parameters = try sampling.parameters(defaultMaxTokens: 512)
        if sampling.preset == nil && sampling.temperature == nil && !sampling.greedy {
            // A chat reads better sampled; Open Assistant's default preset is the starting point.
            let base = SamplingPreset.k50.parameters
            parameters.temperature = base.temperature
            if sampling.topK == nil { parameters.topK = base.topK }
            if sampling.topP == nil { parameters.topP = base.topP }
            if sampling.repeatPenalty == nil { parameters.repetitionPenalty = base.repetitionPenalty }
        }
        let chatFormat = try format.map(InferenceConsole.parseFormat)
        let engine = try model.engine(configuration: .init(maxConcurrent: 1, chatFormat: chatFormat))
        defer { engine.shutDown() }
        let interactive = isatty(STDIN_FILENO) != 0
        if interactive {
            print("\(engine.modelName) · \(engine.chatFormat.rawValue) format · /reset, /system TEXT, /quit")
        }
        var systemPrompt = system
        var history: [ChatMessage] = []
        while true {
            if interactive { FileHandle.standardOutput.write(Data("> ".utf8)) }
            guard let line = readLine() else { break }
            let input = line.trimmingCharacters(in: .whitespaces)
            if input.isEmpty { continue }
            if input == "/quit" || input == "/exit" { break }
            if input == "/reset" { history.removeAll(); continue }
            if input.hasPrefix("/system") {
                let text = input.dropFirst("/system".count).trimmingCharacters(in: .whitespaces)
                systemPrompt = text.isEmpty ? nil : text
                continue
            }
            history.append(.user(input))
            let request = (systemPrompt.map { [ChatMessage.system($0)] } ?? []) + history
            var reply = ""
            var usage: GenerationUsage?
            do {
                for try await event in engine.generate(.chat(request, parameters: parameters)) {
                    switch event {
                    case .token(let text, _):
                        reply += text
                        FileHandle.standardOutput.write(Data(text.utf8))
                    case .finished(_, let u): usage = u
                    case .queued, .started: break
                    }
                }
            } catch let error as GenerationError {
                history.removeLast()
                FileHandle.standardError.write(Data("error: \(error.description)\n".utf8))
                continue
            }
            FileHandle.standardOutput.write(Data("\n".utf8))
            history.append(.assistant(reply.trimmingCharacters(in: .whitespacesAndNewlines)))
            if stats, let usage { InferenceConsole.printStats(usage) }
        }
    }
}
