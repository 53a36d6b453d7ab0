import Foundation
import Inference

/// The JSON of OpenAI's chat-completions protocol, as far as this server speaks it.
enum OpenAIWire {
    struct Request: Decodable {
        struct Message: Decodable {
            var role: String
            var content: Content
        }

        /// `content` is a string, or a list of parts of which the text parts count.
        struct Content: Decodable {
            var text: String
            init(from decoder: any Decoder) throws {
                let container = try decoder.singleValueContainer()
                if let text = try? container.decode(String.self) {
                    self.text = text
                    return
                }
                struct Part: Decodable { var type: String; var text: String? }
                let parts = try container.decode([Part].self)
                text = parts.filter { $0.type == "text" }.compactMap(\.text).joined(separator: "\n")
            }
        }

        /// `stop` is a string or a list of strings.
        struct Stop: Decodable {
            var sequences: [String]
            init(from decoder: any Decoder) throws {
                let container = try decoder.singleValueContainer()
                if let one = try? container.decode(String.self) { sequences = [one] } else { sequences = try container.decode([String].self) }
            }
        }

        var model: String
        var messages: [Message]
        var stream: Bool?
        var temperature: Double?
        var top_p: Double?
        var top_k: Int?
        var min_p: Double?
        var max_tokens: Int?
        var max_completion_tokens: Int?
        var seed: UInt64?
        var stop: Stop?
        var presence_penalty: Double?
        var frequency_penalty: Double?
        var repetition_penalty: Double?
        var n: Int?
        /// llama.cpp's and vLLM's extension: keep generating past end-of-generation (benchmarks want fixed lengths).
        var ignore_eos: Bool?

        /// OpenAI's defaults where the request is silent (temperature 1, top_p 1), capped at the server's token limit.
        func sampling(maxNewTokens limit: Int) -> SamplingParameters {
            SamplingParameters(
                maxNewTokens: min(max_completion_tokens ?? max_tokens ?? limit, limit), temperature: temperature ?? 1,
                topK: top_k ?? 0, topP: top_p ?? 1, minP: min_p ?? 0, repetitionPenalty: repetition_penalty ?? 1,
                frequencyPenalty: frequency_penalty ?? 0, presencePenalty: presence_penalty ?? 0,
                seed: seed ?? UInt64.random(in: 0...UInt64.max - 1), stop: stop?.sequences ?? [],
                ignoresEndOfGeneration: ignore_eos ?? false
            )
        }
    }

    static func completion(id: String, created: Int, model: String, text: String, finishReason: String, promptTokens: Int, completionTokens: Int) -> [String: Any] {
        [
            "id": id, "object": "chat.completion", "created": created, "model": model,
            "choices": [["index": 0, "message": ["role": "assistant", "content": text], "finish_reason": finishReason]],
            "usage": ["prompt_tokens": promptTokens, "completion_tokens": completionTokens, "total_tokens": promptTokens + completionTokens],
        ]
    }

    static func chunk(id: String, created: Int, model: String, delta: [String: Any], finishReason: String?) -> [String: Any] {
        [
            "id": id, "object": "chat.completion.chunk", "created": created, "model": model,
            "choices": [["index": 0, "delta": delta, "finish_reason": finishReason.map { $0 as Any } ?? NSNull()]],
        ]
    }

    static func models(_ names: [String], created: Int) -> [String: Any] {
        ["object": "list", "data": names.map { ["id": $0, "object": "model", "created": created, "owned_by": "open-assistant"] }]
    }

    /// OpenAI's error shape; the official clients turn `code` and the status into typed errors.
    static func error(_ message: String, type: String, code: String?, param: String? = nil) -> [String: Any] {
        ["error": ["message": message, "type": type, "code": code.map { $0 as Any } ?? NSNull(), "param": param.map { $0 as Any } ?? NSNull()]]
    }

    static func encode(_ object: [String: Any]) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}
