import NIOCore
import NIOSSL

/// The last handler in the pipeline: splits the byte stream into lines, lines into replies, and
/// hands each reply to whoever waits in `nextReply`. Lives on the channel's event loop only.
///
/// It does its own line splitting (instead of NIOExtras' decoder) so it can cap how much a server
/// may send without a line break, and see leftover bytes when switching to TLS.
final class SMTPReplyHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    /// Longest line accepted; RFC 5321 allows 512 bytes per reply line, this leaves room for chatty servers.
    static let maxLineLength = 16 * 1024

    private var buffer = ByteBuffer()
    private var parser = SMTPReplyParser()
    private var replies: [Result<SMTPReply, MailError>] = []
    private var waiting: (promise: EventLoopPromise<SMTPReply>, timeout: Scheduled<Void>)?
    /// Once set, every later `nextReply` fails with it: a broken connection stays broken.
    private var terminalError: MailError?

    /// Bytes received but not yet part of a complete line.
    var hasUnprocessedInput: Bool { buffer.readableBytes > 0 }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var incoming = unwrapInboundIn(data)
        buffer.writeBuffer(&incoming)
        while let newline = buffer.readableBytesView.firstIndex(of: 0x0A) {
            let line = buffer.readSlice(length: newline - buffer.readerIndex)!
            buffer.moveReaderIndex(forwardBy: 1)
            var text = String(buffer: line)
            if text.hasSuffix("\r") { text.removeLast() }
            do {
                if let reply = try parser.feed(text) { deliver(.success(reply)) }
            } catch {
                fail(error, context: context)
                return
            }
        }
        if buffer.readableBytes > Self.maxLineLength {
            fail(.protocolViolation("server sent more than \(Self.maxLineLength) bytes without a line break"), context: context)
        }
        buffer.discardReadBytes()
    }

    func channelInactive(context: ChannelHandlerContext) {
        fail(.unavailable("the server closed the connection"), context: context)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        fail(Self.mailError(error), context: context)
    }

    /// The next complete reply, or a failure after `timeout`. Only one caller may wait at a time.
    func nextReply(timeout: TimeAmount, channel: Channel, what: String) -> EventLoopFuture<SMTPReply> {
        let eventLoop = channel.eventLoop
        if !replies.isEmpty { return eventLoop.makeCompletedFuture(replies.removeFirst().mapError { $0 as any Error }) }
        if let terminalError { return eventLoop.makeFailedFuture(terminalError) }
        precondition(waiting == nil, "only one reply can be awaited at a time")
        let promise = eventLoop.makePromise(of: SMTPReply.self)
        let scheduled = eventLoop.assumeIsolated().scheduleTask(in: timeout) { [weak self] in
            let seconds = Double(timeout.nanoseconds) / 1e9
            self?.terminalError = .timeout("no reply \(what) within \(seconds) s")
            self?.deliverTerminal()
            channel.close(promise: nil)
        }
        waiting = (promise, scheduled)
        return promise.futureResult
    }

    private func deliver(_ result: Result<SMTPReply, MailError>) {
        if let (promise, timeout) = waiting {
            waiting = nil
            timeout.cancel()
            promise.completeWith(result.mapError { $0 as any Error })
        } else {
            replies.append(result)
        }
    }

    private func deliverTerminal() {
        guard let terminalError, let (promise, timeout) = waiting else { return }
        waiting = nil
        timeout.cancel()
        promise.fail(terminalError)
    }

    private func fail(_ error: MailError, context: ChannelHandlerContext) {
        if terminalError == nil { terminalError = error }
        deliverTerminal()
        context.close(promise: nil)
    }

    /// NIO and TLS errors in the module's own terms.
    static func mailError(_ error: Error) -> MailError {
        if let error = error as? MailError { return error }
        if error is NIOSSLError || error is BoringSSLError || error is NIOSSLExtraError {
            return .tls(String(describing: error))
        }
        return .unavailable(String(describing: error))
    }
}
