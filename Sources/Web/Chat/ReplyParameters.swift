import Foundation
import Inference

/// How one reply is generated, stored with it as JSON: the preset it came from, the exact sampling
/// parameters (seed included, so the text can be reproduced) and the system prompt.
struct ReplyParameters: Codable, Sendable {
    var preset: String?
    var sampling: SamplingParameters
    var systemPrompt: String?

    enum CodingKeys: String, CodingKey {
        case preset, sampling, systemPrompt = "system_prompt"
    }

    /// The chat's preset with a fresh seed and the deployment's token limit.
    static func forChat(preset name: String, systemPrompt: String?, maxNewTokens: Int) -> ReplyParameters {
        var sampling = (SamplingPreset.named(name) ?? SamplingPreset.openAssistant[0]).parameters
        sampling.maxNewTokens = min(sampling.maxNewTokens, maxNewTokens)
        sampling.seed = UInt64.random(in: 0...UInt64.max - 1)
        return ReplyParameters(preset: name, sampling: sampling, systemPrompt: systemPrompt)
    }

    var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: (try? encoder.encode(self)) ?? Data("{}".utf8), as: UTF8.self)
    }

    static func decode(_ json: String?) -> ReplyParameters {
        guard let json, let parsed = try? JSONDecoder().decode(ReplyParameters.self, from: Data(json.utf8)) else {
            return ReplyParameters(preset: nil, sampling: SamplingPreset.openAssistant[0].parameters, systemPrompt: nil)
        }
        return parsed
    }
}
