import Foundation
import PostgresNIO

/// A `postgres://user:password@host:port/database?sslmode=…` address, parsed once at start so a typo
/// stops the server with a message instead of failing on the first request.
public struct DatabaseURL: Sendable, Equatable, CustomStringConvertible {
    public var host: String
    public var port: Int
    public var username: String
    public var password: String?
    public var database: String
    public var requireTLS: Bool

    public struct Invalid: Error, CustomStringConvertible {
        public let reason: String
        public var description: String { reason }
    }

    public init(host: String, port: Int, username: String, password: String?, database: String, requireTLS: Bool = false) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.database = database
        self.requireTLS = requireTLS
    }

    public init(parsing text: String) throws {
        guard let components = URLComponents(string: text),
              let scheme = components.scheme, ["postgres", "postgresql"].contains(scheme)
        else { throw Invalid(reason: "expected postgres://user@host:port/database, got '\(text)'") }
        guard let host = components.host, !host.isEmpty else { throw Invalid(reason: "no host in '\(text)'") }
        guard let user = components.user, !user.isEmpty else { throw Invalid(reason: "no user name in '\(text)'") }
        let name = String(components.path.drop(while: { $0 == "/" }))
        guard !name.isEmpty, !name.contains("/") else { throw Invalid(reason: "no database name in '\(text)'") }
        let port = components.port ?? 5432
        guard (1...65535).contains(port) else { throw Invalid(reason: "port \(port) out of range") }
        var requireTLS = false
        for item in components.queryItems ?? [] where item.name == "sslmode" {
            switch item.value {
            case "disable", "allow", "prefer", nil: requireTLS = false
            case "require", "verify-ca", "verify-full": requireTLS = true
            case let other?: throw Invalid(reason: "unknown sslmode '\(other)'")
            }
        }
        self.init(
            host: host, port: port,
            username: components.user?.removingPercentEncoding ?? user,
            password: components.password?.removingPercentEncoding,
            database: name.removingPercentEncoding ?? name,
            requireTLS: requireTLS
        )
    }

    /// The same server, another database: used to create and drop test databases.
    public func with(database: String) -> DatabaseURL {
        var copy = self
        copy.database = database
        return copy
    }

    public var description: String {
        "postgres://\(username)\(password == nil ? "" : ":***")@\(host):\(port)/\(database)"
    }

    public var clientConfiguration: PostgresClient.Configuration {
        var tls = PostgresClient.Configuration.TLS.disable
        if requireTLS {
            tls = .require(.clientDefault)
        }
        var configuration = PostgresClient.Configuration(
            host: host, port: port, username: username, password: password, database: database, tls: tls
        )
        configuration.options.connectTimeout = .seconds(3)
        return configuration
    }
}
