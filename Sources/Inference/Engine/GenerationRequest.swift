/// What to generate from, and how.
public struct GenerationRequest: Sendable {
    public enum Input: Sendable, Hashable {
        /// A conversation, laid out in the chat format and left-truncated to fit the context.
        case chat([ChatMessage])
        /// Raw text continued as it is (a leading BOS is added when the model asks for one).
        case text(String)
        /// Prompt token ids, used exactly as given.
        case tokens([Int32])
    }

    public var input: Input
    public var parameters: SamplingParameters
    /// The chat format for `.chat` input; nil uses the generator's (detected or configured) format.
    public var format: ChatFormat?

    public init(input: Input, parameters: SamplingParameters = .init(), format: ChatFormat? = nil) {
        self.input = input
        self.parameters = parameters
        self.format = format
    }

    public static func chat(_ messages: [ChatMessage], parameters: SamplingParameters = .init(), format: ChatFormat? = nil) -> GenerationRequest {
        .init(input: .chat(messages), parameters: parameters, format: format)
    }

    public static func text(_ prompt: String, parameters: SamplingParameters = .init()) -> GenerationRequest {
        .init(input: .text(prompt), parameters: parameters)
    }
}
