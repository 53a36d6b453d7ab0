import Hummingbird

/// Errors a person can act on. Each carries the status and the words of the page they see;
/// the cause stays in the log.
public enum AppError: Error, CustomStringConvertible {
    case notFound
    case badRequest(String)
    case forbidden(String)
    case unauthorized
    case tooManyRequests(String, retryAfterSeconds: Int)
    case unavailable(String)
    case conflict(String)

    public var status: HTTPResponse.Status {
        switch self {
        case .notFound: return .notFound
        case .badRequest: return .badRequest
        case .forbidden: return .forbidden
        case .unauthorized: return .unauthorized
        case .tooManyRequests: return .tooManyRequests
        case .unavailable: return .serviceUnavailable
        case .conflict: return .conflict
        }
    }

    public var heading: String {
        switch self {
        case .notFound: return "Page not found"
        case .badRequest: return "That did not work"
        case .forbidden: return "Not allowed"
        case .unauthorized: return "Please sign in"
        case .tooManyRequests: return "Slow down a little"
        case .unavailable: return "Temporarily unavailable"
        case .conflict: return "Something changed meanwhile"
        }
    }

    public var message: String {
        switch self {
        case .notFound: return "There is nothing at this address. It may have moved, or the link may be mistyped."
        case .badRequest(let message), .forbidden(let message), .unavailable(let message), .conflict(let message): return message
        case .unauthorized: return "You need to be signed in to see this page."
        case .tooManyRequests(let message, _): return message
        }
    }

    public var description: String { "\(status.code) \(heading): \(message)" }

    /// The friendly version of an error Hummingbird raised itself (no route, unreadable body, …).
    static func from(_ error: any HTTPResponseError) -> AppError {
        switch error.status {
        case .notFound: return .notFound
        case .methodNotAllowed: return .notFound
        case .forbidden: return .forbidden("You may not do this.")
        case .unauthorized: return .unauthorized
        case .tooManyRequests: return .tooManyRequests("Too many requests; please wait a minute and try again.", retryAfterSeconds: 60)
        case .contentTooLarge: return .badRequest("What you sent is too large.")
        default: return .badRequest("The request could not be understood. Please go back and try again.")
        }
    }
}
