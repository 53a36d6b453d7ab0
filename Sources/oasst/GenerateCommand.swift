import ArgumentParser
import Foundation
import Inference

/// `oasst generate`: streams a continuation of a prompt to stdout.
struct GenerateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Continue a prompt with a local GGUF model and stream the text to stdout.",
        discussion: "The prompt is encoded as it is (with <bos> when the model asks for one); --chat wraps it in the model's chat format instead.")

    @OptionGroup var model: ModelOptions
    @Option(name: .shortAndLong, help: "The prompt text.") var prompt: String
    @OptionGroup var sampling: SamplingOptions
    @Flag(help: "Treat the prompt as a user message in the model's chat format.") var chat = false
    @Option(help: "System prompt (with --chat).") var system: String?
    @Option(help: "Chat format: gemma, chatml, llama3, oasst or transcript (default: detected).") var format: String?
    @Flag(help: "Print token counts and speed to stderr at the end.") var stats = false

    func run() async throws {
        InferenceConsole.ensureBLASKernel()
        let parameters = try sampling.parameters()
        let chatFormat = try format.map(InferenceConsole.parseFormat)
        let engine = try model.engine(configuration: .init(maxConcurrent: 1, chatFormat: chatFormat))
        defer { engine.shutDown() }
        let request: GenerationRequest
        if chat {
            var messages: [ChatMessage] = []
            if let system { messages.append(.system(system)) }
            messages.append(.user(prompt))
            request = .chat(messages, parameters: parameters)
        } else {
            request = .text(prompt, parameters: parameters)
        }
        let usage = try await InferenceConsole.stream(engine.generate(request))
        FileHandle.standardOutput.write(Data("\n".utf8))
        if stats, let usage { InferenceConsole.printStats(usage) }
    }
}

/// Where the model is and how many threads run it, shared by the inference commands.
struct ModelOptions: ParsableArguments {
    @Option(help: "GGUF model file (default: $OASST_MODEL, else .data/models/gemma-3-270m-q4_k_m.gguf).")
    var model: String?
    @Option(help: "Threads for the model (default: all processors).") var threads: Int = 0

    var path: String {
        if let model { return model }
        if let env = ProcessInfo.processInfo.environment["OASST_MODEL"], !env.isEmpty { return env }
        return ".data/models/gemma-3-270m-q4_k_m.gguf"
    }

    func load() throws -> LanguageModel {
        do {
            return try LanguageModel.load(path: path, threads: threads)
        } catch let error as InferenceError {
            throw Console.Failure(error.description + (path.hasPrefix(".data/") ? " (scripts/setup fetches the default model)" : ""))
        }
    }

    func engine(configuration: EngineConfiguration) throws -> InferenceEngine {
        try InferenceEngine(model: load(), configuration: configuration)
    }
}

/// Sampling flags, shared by `generate` and `chat`.
struct SamplingOptions: ParsableArguments {
    @Option(help: "Start from one of Open Assistant's presets (k50, k50-Creative, k50-Precise, k50-Original, k50-Plugins, nucleus9, typical2, typical3).")
    var preset: String?
    @Flag(help: "Always take the most likely token.") var greedy = false
    @Option(name: [.customShort("n"), .long], help: "Most tokens to generate.") var maxTokens: Int?
    @Option(help: "Temperature (0 = greedy).") var temperature: Double?
    @Option(help: "Top-k (0 = off).") var topK: Int?
    @Option(help: "Top-p / nucleus (1 = off).") var topP: Double?
    @Option(help: "Min-p (0 = off).") var minP: Double?
    @Option(help: "Typical-p (1 = off).") var typicalP: Double?
    @Option(help: "Repetition penalty (1 = off).") var repeatPenalty: Double?
    @Option(help: "Frequency penalty (0 = off).") var frequencyPenalty: Double?
    @Option(help: "Presence penalty (0 = off).") var presencePenalty: Double?
    @Option(help: "Tokens the penalties look back over (-1 = all).") var repeatLastN: Int?
    @Option(help: "Random seed: the same seed gives the same text.") var seed: UInt64?
    @Option(help: "Stop when this text appears (repeatable); it is not printed.") var stop: [String] = []
    @Flag(help: "Keep generating past end-of-generation tokens.") var ignoreEOS = false

    func parameters(defaultMaxTokens: Int = 256) throws -> SamplingParameters {
        var p = SamplingParameters(maxNewTokens: defaultMaxTokens)
        if let preset {
            guard let found = SamplingPreset.named(preset) else {
                throw Console.Failure("unknown preset '\(preset)'; use one of " + SamplingPreset.openAssistant.map(\.name).joined(separator: ", "))
            }
            p = found.parameters
            p.maxNewTokens = defaultMaxTokens
        }
        if let maxTokens { p.maxNewTokens = maxTokens }
        if let temperature { p.temperature = temperature }
        if greedy { p.temperature = 0 }
        if let topK { p.topK = topK }
        if let topP { p.topP = topP }
        if let minP { p.minP = minP }
        if let typicalP { p.typicalP = typicalP }
        if let repeatPenalty { p.repetitionPenalty = repeatPenalty }
        if let frequencyPenalty { p.frequencyPenalty = frequencyPenalty }
        if let presencePenalty { p.presencePenalty = presencePenalty }
        if let repeatLastN { p.penaltyWindow = repeatLastN }
        if let seed { p.seed = seed }
        p.stop += stop
        p.ignoresEndOfGeneration = ignoreEOS
        if let problem = p.problem { throw Console.Failure(problem) }
        return p
    }
}

/// Terminal plumbing for the inference commands.
enum InferenceConsole {
    /// Prints a stream's text as it arrives; returns the usage of the finished generation.
    static func stream(_ events: AsyncThrowingStream<GenerationEvent, Error>) async throws -> GenerationUsage? {
        do {
            var usage: GenerationUsage?
            for try await event in events {
                switch event {
                case .token(let text, _):
                    FileHandle.standardOutput.write(Data(text.utf8))
                case .finished(_, let u):
                    usage = u
                case .queued, .started:
                    break
                }
            }
            return usage
        } catch let error as GenerationError {
            throw Console.Failure(error.description)
        }
    }

    static func printStats(_ u: GenerationUsage) {
        let pp = u.promptSeconds > 0 ? Double(u.promptTokens) / u.promptSeconds : 0
        let line = String(format: "prompt: %d tokens, %.1f tok/s; generated: %d tokens, %.1f tok/s\n",
                          u.promptTokens, pp, u.completionTokens, u.tokensPerSecond)
        FileHandle.standardError.write(Data(line.utf8))
    }

    static func parseFormat(_ name: String) throws -> ChatFormat {
        guard let f = ChatFormat(name: name) else {
            throw Console.Failure("unknown chat format '\(name)'; use gemma, chatml, llama3, oasst or transcript")
        }
        return f
    }

    /// OpenBLAS picks its kernel when it loads, before `main`, and falls back to slow generic code on
    /// CPUs it does not know (Xeons with AVX-512 among them). When the variable is unset on such a CPU,
    /// the process starts itself again with `OPENBLAS_CORETYPE=SkylakeX`; an existing value is respected.
    static func ensureBLASKernel() {
        let env = ProcessInfo.processInfo.environment
        guard env["OPENBLAS_CORETYPE"] == nil,
              let cpu = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              cpu.contains(" avx512f "),
              let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        else { return }
        setenv("OPENBLAS_CORETYPE", "SkylakeX", 1)
        let args = CommandLine.arguments
        var argv: [UnsafeMutablePointer<CChar>?] = args.map { strdup($0) }
        argv.append(nil)
        execv(exe, argv)  // only returns on failure: carry on with the slow kernel
    }
}
