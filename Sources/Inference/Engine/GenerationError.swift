/// Why a generation request failed, each with a message a person can act on.
public enum GenerationError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The queue of waiting requests is full; try again later (HTTP 503).
    case busy(queued: Int)
    /// The prompt does not fit in the context even after truncation.
    case promptTooLong(tokens: Int, limit: Int)
    case invalidParameters(String)
    case emptyPrompt
    /// The generator was shut down before or while the request ran.
    case shutDown
    /// The model failed while running (the message of the underlying error).
    case modelFailure(String)
    /// A remote server answered with an error or an unreadable stream.
    case remote(status: Int?, message: String)

    public var description: String {
        switch self {
        case .busy(let n): return "the server is busy\(n > 0 ? " (\(n) requests are waiting)" : ""); please try again later"
        case .promptTooLong(let tokens, let limit):
            return "the prompt is \(tokens) tokens long but at most \(limit) fit in the context"
        case .invalidParameters(let why): return "invalid sampling parameters: \(why)"
        case .emptyPrompt: return "the prompt is empty"
        case .shutDown: return "the inference engine has been shut down"
        case .modelFailure(let why): return "the model failed: \(why)"
        case .remote(let status, let message):
            return "the inference server failed\(status.map { " (HTTP \($0))" } ?? ""): \(message)"
        }
    }
}
