/// A named set of sampling parameters offered in the chat's settings.
public struct SamplingPreset: Codable, Sendable, Hashable, Identifiable {
    public var name: String
    public var parameters: SamplingParameters
    public var id: String { name }

    public init(name: String, parameters: SamplingParameters) {
        self.name = name
        self.parameters = parameters
    }
}

extension SamplingPreset {
    /// Open Assistant's built-in presets (`DEFAULT_PARAMETER_CONFIGS`), in its order; the first is the default.
    /// Fields Open Assistant leaves null are off here, which is what text-generation-inference did with them.
    public static let openAssistant: [SamplingPreset] = [k50, k50Creative, k50Precise, k50Original, k50Plugins, nucleus9, typical2, typical3]

    public static let k50 = SamplingPreset(name: "k50", parameters: .init(temperature: 0.75, topK: 50, topP: 0.95, repetitionPenalty: 1.2))
    public static let k50Creative = SamplingPreset(name: "k50-Creative", parameters: .init(temperature: 0.85, topK: 50, topP: 0.95, repetitionPenalty: 1.2))
    public static let k50Precise = SamplingPreset(name: "k50-Precise", parameters: .init(temperature: 0.1, topK: 50, topP: 0.95, repetitionPenalty: 1.2))
    public static let k50Original = SamplingPreset(name: "k50-Original", parameters: .init(temperature: 0.9, topK: 50, topP: 0.95, repetitionPenalty: 1.2))
    public static let k50Plugins = SamplingPreset(name: "k50-Plugins", parameters: .init(temperature: 0.35, topK: 50, repetitionPenalty: 1 / 0.90))
    public static let nucleus9 = SamplingPreset(name: "nucleus9", parameters: .init(temperature: 0.8, topP: 0.9, repetitionPenalty: 1.2))
    public static let typical2 = SamplingPreset(name: "typical2", parameters: .init(temperature: 0.8, typicalP: 0.2, repetitionPenalty: 1.2))
    public static let typical3 = SamplingPreset(name: "typical3", parameters: .init(temperature: 0.8, typicalP: 0.3, repetitionPenalty: 1.2))

    /// The preset called `name` (exact match), if any.
    public static func named(_ name: String) -> SamplingPreset? {
        openAssistant.first { $0.name == name }
    }
}
