import NIOCore
import NIOPosix
import NIOSSL

/// One TCP (or TLS) connection to an SMTP server with async, time-bounded command/reply steps.
/// Knows nothing about the order of commands; `SMTPClient` drives the dialogue.
struct SMTPConnection: Sendable {
    let channel: Channel
    private let handler: NIOLoopBound<SMTPReplyHandler>
    let replyTimeout: TimeAmount
    /// True once the connection is encrypted (smtps or after STARTTLS).
    private(set) var isTLS: Bool

    static func connect(_ configuration: SMTPConfiguration, group: EventLoopGroup) async throws(MailError) -> SMTPConnection {
        let sslContext: NIOSSLContext?
        if configuration.security == .implicitTLS {
            sslContext = try makeSSLContext(configuration)
        } else {
            sslContext = nil
        }
        let host = configuration.host
        let bootstrap = ClientBootstrap(group: group)
            .connectTimeout(TimeAmount(configuration.connectTimeout))
            .channelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let sslContext {
                        let tls = try NIOSSLClientHandler(context: sslContext, serverHostname: serverHostname(host))
                        try channel.pipeline.syncOperations.addHandler(tls)
                    }
                    try channel.pipeline.syncOperations.addHandler(SMTPReplyHandler())
                }
            }
        let channel: Channel
        do {
            channel = try await bootstrap.connect(host: configuration.host, port: configuration.port).get()
        } catch let error as ChannelError {
            if case .connectTimeout = error {
                throw .timeout("could not connect to \(configuration.host):\(configuration.port) within \(configuration.connectTimeout)")
            }
            throw .unavailable("cannot connect to \(configuration.host):\(configuration.port): \(error)")
        } catch {
            throw .unavailable("cannot connect to \(configuration.host):\(configuration.port): \(error)")
        }
        do {
            let handler = try await channel.eventLoop.submit {
                NIOLoopBound(try channel.pipeline.syncOperations.handler(type: SMTPReplyHandler.self), eventLoop: channel.eventLoop)
            }.get()
            return SMTPConnection(channel: channel, handler: handler, replyTimeout: TimeAmount(configuration.replyTimeout),
                                  isTLS: sslContext != nil)
        } catch {
            channel.close(promise: nil)
            throw .unavailable("connection lost during setup: \(error)")
        }
    }

    /// Waits (bounded) for the next complete reply. `what` describes the step for timeout messages.
    func readReply(_ what: String) async throws(MailError) -> SMTPReply {
        let handler = self.handler
        let channel = self.channel
        let timeout = replyTimeout
        do {
            return try await channel.eventLoop.flatSubmit {
                handler.value.nextReply(timeout: timeout, channel: channel, what: what)
            }.get()
        } catch {
            throw SMTPReplyHandler.mailError(error)
        }
    }

    /// Sends raw bytes; failures surface through the next `readReply` (the channel closes on write errors).
    func write(_ bytes: [UInt8]) {
        channel.writeAndFlush(ByteBuffer(bytes: bytes), promise: nil)
    }

    /// Sends one command line and waits for its reply. `logged` replaces the line in messages (for AUTH).
    func command(_ line: String, logged: String? = nil) async throws(MailError) -> SMTPReply {
        write(Array((line + "\r\n").utf8))
        return try await readReply("to \(logged ?? line)")
    }

    /// Puts TLS under the SMTP handler after the server's 220 to STARTTLS, and waits for the handshake.
    mutating func startTLS(_ configuration: SMTPConfiguration) async throws(MailError) {
        let context = try Self.makeSSLContext(configuration)
        let handler = self.handler
        let channel = self.channel
        let host = configuration.host
        do {
            try await channel.eventLoop.flatSubmit { () -> EventLoopFuture<Void> in
                // Bytes that arrived before the handshake were sent in plain text by someone who could
                // inject them; acting on them would defeat TLS (the classic STARTTLS injection).
                if handler.value.hasUnprocessedInput {
                    return channel.eventLoop.makeFailedFuture(MailError.tls("unencrypted data after STARTTLS reply"))
                }
                do {
                    let tls = try NIOSSLClientHandler(context: context, serverHostname: serverHostname(host))
                    try channel.pipeline.syncOperations.addHandler(tls, position: .first)
                    return channel.eventLoop.makeSucceededVoidFuture()
                } catch {
                    return channel.eventLoop.makeFailedFuture(error)
                }
            }.get()
        } catch {
            channel.close(promise: nil)
            throw .tls("cannot start TLS: \(error)")
        }
        isTLS = true
    }

    func close() {
        channel.close(promise: nil)
    }

    private static func makeSSLContext(_ configuration: SMTPConfiguration) throws(MailError) -> NIOSSLContext {
        do {
            return try NIOSSLContext(configuration: configuration.tlsConfiguration)
        } catch {
            throw .tls("cannot create TLS context: \(error)")
        }
    }
}

/// SNI must not be an IP address; for IPs the certificate is still checked against the address.
private func serverHostname(_ host: String) -> String? {
    let isIP = host.contains(":") || host.split(separator: ".").allSatisfy { Int($0) != nil }
    return isIP ? nil : host
}
