/// The parts of the OpenAI chat/completions protocol we send and read.
enum OpenAIProtocol {
    struct Message: Codable {
        var role: String
        var content: String
    }

    /// A streaming request. Fields beyond OpenAI's own (`top_k`, `min_p`, `typical_p`,
    /// `repeat_penalty`/`repetition_penalty`) are understood by llama.cpp, vLLM and TGI. The penalties and
    /// min-p are always sent, because llama.cpp's servers apply their own non-neutral defaults (a
    /// repeat penalty of 1.1, min-p 0.05) when they are missing; top-k and top-p only when set, because
    /// TGI and vLLM refuse their "off" values.
    struct Request: Encodable {
        var model: String
        var messages: [Message]?
        var prompt: Prompt?
        var stream = true
        var streamOptions = StreamOptions()
        var maxTokens: Int
        var temperature: Double
        var topP: Double?
        var seed: UInt64?
        var stop: [String]?
        var frequencyPenalty: Double?
        var presencePenalty: Double?
        var topK: Int?
        var minP: Double?
        var typicalP: Double?
        var repeatPenalty: Double?
        var repetitionPenalty: Double?

        enum CodingKeys: String, CodingKey {
            case model, messages, prompt, stream, temperature, seed, stop
            case streamOptions = "stream_options", maxTokens = "max_tokens", topP = "top_p"
            case frequencyPenalty = "frequency_penalty", presencePenalty = "presence_penalty"
            case topK = "top_k", minP = "min_p", typicalP = "typical_p"
            case repeatPenalty = "repeat_penalty", repetitionPenalty = "repetition_penalty"
        }

        init(model: String, input: GenerationRequest.Input, parameters p: SamplingParameters, seed: UInt64) {
            self.model = model
            switch input {
            case .chat(let m): messages = m.map { Message(role: $0.role.rawValue, content: $0.content) }
            case .text(let t): prompt = .text(t)
            case .tokens(let t): prompt = .tokens(t)
            }
            maxTokens = p.maxNewTokens
            temperature = max(0, p.temperature)
            topP = p.topP < 1 ? p.topP : nil
            self.seed = seed
            stop = p.stop.isEmpty ? nil : p.stop
            frequencyPenalty = p.frequencyPenalty != 0 ? p.frequencyPenalty : nil
            presencePenalty = p.presencePenalty != 0 ? p.presencePenalty : nil
            topK = p.topK > 0 ? p.topK : nil
            minP = p.minP
            typicalP = p.typicalP < 1 ? p.typicalP : nil
            repeatPenalty = p.repetitionPenalty
            repetitionPenalty = repeatPenalty
        }
    }

    struct StreamOptions: Encodable {
        var includeUsage = true
        enum CodingKeys: String, CodingKey { case includeUsage = "include_usage" }
    }

    enum Prompt: Encodable {
        case text(String), tokens([Int32])
        func encode(to encoder: any Encoder) throws {
            var c = encoder.singleValueContainer()
            switch self {
            case .text(let t): try c.encode(t)
            case .tokens(let t): try c.encode(t)
            }
        }
    }

    /// One streamed chunk of either endpoint (chat chunks carry `delta`, completion chunks `text`).
    struct Chunk: Decodable {
        struct Choice: Decodable {
            struct Delta: Decodable { var content: String? }
            var delta: Delta?
            var text: String?
            var finishReason: String?
            enum CodingKeys: String, CodingKey { case delta, text, finishReason = "finish_reason" }
        }
        struct Usage: Decodable {
            var promptTokens: Int?
            var completionTokens: Int?
            enum CodingKeys: String, CodingKey { case promptTokens = "prompt_tokens", completionTokens = "completion_tokens" }
        }
        struct ErrorBody: Decodable { var message: String? }
        var choices: [Choice]?
        var usage: Usage?
        var error: ErrorBody?
    }
}
