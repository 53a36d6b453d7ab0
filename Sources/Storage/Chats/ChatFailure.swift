/// Why a chat operation could not be done; refusals by the chat rules come as `ChatRules.Refusal`.
public enum ChatFailure: Error, Equatable, Sendable, CustomStringConvertible {
    /// No such chat or message for this user: someone else's chat looks exactly like a missing one.
    case notFound
    case invalid(String)

    public var description: String {
        switch self {
        case .notFound: return "no such chat or message"
        case .invalid(let why): return why
        }
    }
}
