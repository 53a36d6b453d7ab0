import Hummingbird
import Logging
import NIOCore
import Storage

/// What every handler knows about the request beyond the request itself.
public struct AppRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Short random id, echoed as `X-Request-Id` and attached to every log line of the request.
    public var requestID: String = ""
    public let remoteAddress: SocketAddress?
    /// The signed-in session, set by `SessionMiddleware`.
    public var session: SessionStore.Active?
    /// The token every state-changing form of this visitor must carry.
    public var csrfToken: String = ""
    /// The fields of a submitted form, read once by `CSRFMiddleware`.
    public var form = FormData()

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    public var user: User? { session?.user }

    /// The signed-in user, or a redirect to the sign-in page.
    public func requireUser() throws -> User {
        guard let user else { throw AppError.unauthorized }
        return user
    }

    /// The client's IP as text, for rate limits and logs.
    public var clientIP: String {
        remoteAddress?.ipAddress ?? "unknown"
    }
}
