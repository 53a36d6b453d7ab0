import Foundation
import NIOSSL

/// Where and how to deliver mail, usually parsed from `OASST_SMTP_URL`.
///
/// URL forms:
/// - `smtp://host[:port]` — plain SMTP (port 25 by default), upgraded with STARTTLS according to
///   `?starttls=required|optional|never` (default `optional`: use it when the server offers it);
/// - `smtps://host[:port]` — TLS from the first byte (port 465 by default);
/// - `user:password@` before the host — percent-decoded credentials for AUTH PLAIN / AUTH LOGIN;
/// - `?from=noreply@example.org` — the default sender;
/// - `?connect_timeout=5&reply_timeout=10` — bounds in seconds (fractions allowed).
public struct SMTPConfiguration: Sendable {
    public enum STARTTLSPolicy: String, Sendable {
        /// Fail with `MailError.tls` unless the server offers STARTTLS.
        case required
        /// Upgrade when offered, otherwise continue in plain text.
        case optional
        /// Never upgrade (for servers with broken TLS).
        case never
    }

    public enum Security: Sendable, Equatable {
        case startTLS(STARTTLSPolicy)
        case implicitTLS
    }

    public static let environmentVariable = "OASST_SMTP_URL"
    public static let defaultURL = "smtp://127.0.0.1:1025"

    public var host: String
    public var port: Int
    public var security: Security
    public var username: String?
    public var password: String?
    /// Default sender, used when a `MailMessage` has no `from`.
    public var from: String?
    /// Name sent with EHLO/HELO.
    public var heloName: String = "localhost"
    public var connectTimeout: Duration = .seconds(5)
    /// Bound for each server reply, including the greeting and the reply after DATA.
    public var replyTimeout: Duration = .seconds(10)
    /// TLS settings for STARTTLS and smtps; the default verifies the certificate against the system roots.
    public var tlsConfiguration: TLSConfiguration = .makeClientConfiguration()

    public init(host: String, port: Int, security: Security = .startTLS(.optional),
                username: String? = nil, password: String? = nil, from: String? = nil) {
        self.host = host
        self.port = port
        self.security = security
        self.username = username
        self.password = password
        self.from = from
    }

    /// Parses an `smtp://` or `smtps://` URL; throws `MailError.invalidConfiguration` naming the problem.
    public init(url string: String) throws(MailError) {
        func bad(_ why: String) -> MailError { .invalidConfiguration("OASST_SMTP_URL \(why) (got \"\(Self.redacted(string))\")") }
        guard let components = URLComponents(string: string), let scheme = components.scheme?.lowercased() else {
            throw bad("is not a URL")
        }
        switch scheme {
        case "smtp": security = .startTLS(.optional)
        case "smtps": security = .implicitTLS
        default: throw bad("must start with smtp:// or smtps://, not \(scheme)://")
        }
        guard var host = components.host, !host.isEmpty else { throw bad("has no host") }
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        self.host = host
        if let port = components.port {
            guard (1...65535).contains(port) else { throw bad("has port \(port) outside 1–65535") }
            self.port = port
        } else {
            self.port = scheme == "smtps" ? 465 : 25
        }
        guard components.path.isEmpty || components.path == "/" else { throw bad("has a path, which SMTP URLs do not use") }
        if components.fragment != nil { throw bad("has a #fragment") }
        username = components.user
        password = components.password
        if (username == nil) != (password == nil) || username == "" {
            throw bad("must give both user and password (user:password@host) or neither")
        }
        for item in components.queryItems ?? [] {
            let value = item.value ?? ""
            switch item.name {
            case "starttls":
                guard let policy = STARTTLSPolicy(rawValue: value.lowercased()) else {
                    throw bad("has starttls=\(value); use required, optional or never")
                }
                guard scheme == "smtp" else { throw bad("has starttls= but smtps:// already uses TLS") }
                security = .startTLS(policy)
            case "from":
                do { try MailAddress.validate(value, field: "from=") } catch { throw bad("has \(error)") }
                from = value
            case "connect_timeout", "reply_timeout":
                guard let seconds = Double(value), seconds > 0, seconds <= 3600 else {
                    throw bad("has \(item.name)=\(value); use a number of seconds between 0 and 3600")
                }
                let duration = Duration.milliseconds(Int64((seconds * 1000).rounded()))
                if item.name == "connect_timeout" { connectTimeout = duration } else { replyTimeout = duration }
            case "helo":
                guard !value.isEmpty, value.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) else { throw bad("has an invalid helo= name") }
                heloName = value
            default:
                throw bad("has unknown parameter \(item.name); known: starttls, from, connect_timeout, reply_timeout, helo")
            }
        }
    }

    /// The configuration from `OASST_SMTP_URL`, or the local mail catcher when it is unset.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws(MailError) -> SMTPConfiguration {
        let url = environment[environmentVariable].flatMap { $0.isEmpty ? nil : $0 } ?? defaultURL
        return try SMTPConfiguration(url: url)
    }

    /// True when the server is on this machine, where a plain-text password cannot be sniffed.
    var isLoopback: Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }

    /// The URL with any password replaced, safe for error messages and logs.
    static func redacted(_ url: String) -> String {
        guard var components = URLComponents(string: url) else { return "<not a URL>" }
        guard components.password != nil else { return url }
        components.password = "***"
        return components.string ?? "<unparsable>"
    }
}
