import Hummingbird
import Logging
import NIOCore

/// What every handler knows about the request beyond the request itself.
public struct AppRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Short random id, echoed as `X-Request-Id` and attached to every log line of the request.
    public var requestID: String = ""
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    /// The client's IP as text, for rate limits and logs.
    public var clientIP: String {
        remoteAddress?.ipAddress ?? "unknown"
    }
}
