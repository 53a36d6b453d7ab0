/// Everything the Mail module can throw. Callers (the sign-in flow) switch on the case to decide
/// between "try again later" (`unavailable`, `timeout`) and "this is a bug or a bad address".
public enum MailError: Error, Equatable, Sendable {
    /// The SMTP URL or another setting is unusable; the text names the problem.
    case invalidConfiguration(String)
    /// An address failed the syntax check in `MailAddress`.
    case invalidAddress(String)
    /// A header value (address, name or subject) contained CR or LF, which could smuggle in headers.
    case headerInjection(field: String)
    /// The server could not be reached or closed the connection.
    case unavailable(String)
    /// A step (connecting or waiting for a reply) took longer than its bound.
    case timeout(String)
    /// The server answered a command with an unexpected (usually 4xx or 5xx) reply.
    case rejected(code: Int, text: String)
    /// The server said something that is not SMTP, or lacks a feature the configuration requires.
    case protocolViolation(String)
    /// TLS could not be set up (STARTTLS required but not offered, or the handshake failed).
    case tls(String)
}

extension MailError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .invalidConfiguration(let why): "invalid mail configuration: \(why)"
        case .invalidAddress(let why): "invalid mail address: \(why)"
        case .headerInjection(let field): "line break in mail header field \(field) (header injection)"
        case .unavailable(let why): "mail server unavailable: \(why)"
        case .timeout(let why): "mail server timed out: \(why)"
        case .rejected(let code, let text): "mail server rejected the message: \(code) \(text)"
        case .protocolViolation(let why): "mail server protocol error: \(why)"
        case .tls(let why): "mail TLS error: \(why)"
        }
    }

    /// True for failures worth retrying later: the server is down or slow, or answered with a 4xx.
    public var isTransient: Bool {
        switch self {
        case .unavailable, .timeout: true
        case .rejected(let code, _): (400..<500).contains(code)
        default: false
        }
    }
}
