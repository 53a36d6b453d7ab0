import Logging
import NIOCore
import NIOPosix

/// Sends mail over SMTP (RFC 5321): one connection per message, which suits the low volume of
/// sign-in mails and means no idle connection can go stale.
///
/// Every network step is bounded (`connectTimeout`, `replyTimeout`), so a down or silent server gives
/// `MailError.unavailable` or `.timeout` instead of a hang.
public struct SMTPClient: Sendable {
    public let configuration: SMTPConfiguration
    private let group: EventLoopGroup
    private let logger: Logger

    public init(configuration: SMTPConfiguration,
                eventLoopGroup: EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
                logger: Logger = Logger(label: "oasst.mail")) {
        self.configuration = configuration
        self.group = eventLoopGroup
        self.logger = logger
    }

    /// Delivers one message; returns once the server accepted it (250 after DATA).
    public func send(_ message: MailMessage) async throws(MailError) {
        var message = message
        if message.from == nil { message.from = configuration.from }
        let payload = SMTPData.payload(try message.rendered())
        let from = message.from!

        var connection = try await SMTPConnection.connect(configuration, group: group)
        do {
            try expect(220, await connection.readReply("greeting"))
            var extensions = try await hello(connection)

            if case .startTLS(let policy) = configuration.security, policy != .never {
                if extensions["STARTTLS"] != nil {
                    try expect(220, await connection.command("STARTTLS"))
                    try await connection.startTLS(configuration)
                    extensions = try await hello(connection)  // RFC 3207: forget what was said in plain text
                } else if policy == .required {
                    throw MailError.tls("the server does not offer STARTTLS, which the configuration requires")
                }
            }

            if let username = configuration.username, let password = configuration.password {
                try await authenticate(connection, extensions: extensions, username: username, password: password)
            }

            try expect(250, await connection.command("MAIL FROM:<\(from)>"))
            try expect([250, 251], await connection.command("RCPT TO:<\(message.to)>"))
            try expect(354, await connection.command("DATA"))
            connection.write(payload)
            try expect(250, await connection.readReply("after the message data"))
            logger.debug("mail accepted", metadata: ["to": "\(message.to)", "server": "\(configuration.host)"])
            // The message is accepted; a failing QUIT must not make the caller send it again.
            _ = try? await connection.command("QUIT")
            connection.close()
        } catch {
            connection.close()
            logger.warning("mail not sent", metadata: ["error": "\(error)", "server": "\(configuration.host)"])
            throw SMTPReplyHandler.mailError(error)
        }
    }

    /// EHLO, falling back to HELO for servers that reject it; returns the advertised extensions.
    private func hello(_ connection: SMTPConnection) async throws(MailError) -> [String: [String]] {
        let reply = try await connection.command("EHLO \(configuration.heloName)")
        if reply.code == 250 { return reply.extensions }
        guard (500...504).contains(reply.code) || reply.code == 550 else { throw MailError.rejected(code: reply.code, text: reply.text) }
        try expect(250, await connection.command("HELO \(configuration.heloName)"))
        return [:]
    }

    /// AUTH PLAIN when offered, else AUTH LOGIN. Refuses to send a password in plain text to another machine.
    private func authenticate(_ connection: SMTPConnection, extensions: [String: [String]],
                              username: String, password: String) async throws(MailError) {
        guard connection.isTLS || configuration.isLoopback else {
            throw MailError.tls("refusing to send the SMTP password unencrypted; use smtps:// or starttls=required")
        }
        let mechanisms = extensions["AUTH"] ?? []
        if mechanisms.contains("PLAIN") {
            let token = SMTPAuth.plain(username: username, password: password)
            try expect(235, await connection.command("AUTH PLAIN \(token)", logged: "AUTH PLAIN"))
        } else if mechanisms.contains("LOGIN") {
            try expect(334, await connection.command("AUTH LOGIN"))
            try expect(334, await connection.command(SMTPAuth.base64(username), logged: "AUTH LOGIN user name"))
            try expect(235, await connection.command(SMTPAuth.base64(password), logged: "AUTH LOGIN password"))
        } else {
            throw MailError.protocolViolation("credentials are configured but the server offers neither AUTH PLAIN nor AUTH LOGIN")
        }
    }

    private func expect(_ code: Int, _ reply: SMTPReply) throws(MailError) {
        try expect([code], reply)
    }

    private func expect(_ codes: [Int], _ reply: SMTPReply) throws(MailError) {
        guard codes.contains(reply.code) else { throw .rejected(code: reply.code, text: reply.text) }
    }
}

/// SASL encodings for AUTH (RFC 4954, RFC 4616).
enum SMTPAuth {
    /// base64("\0user\0password").
    static func plain(username: String, password: String) -> String {
        MIMEEncoding.base64([0] + Array(username.utf8) + [0] + Array(password.utf8))
    }

    static func base64(_ text: String) -> String {
        MIMEEncoding.base64(Array(text.utf8))
    }
}
