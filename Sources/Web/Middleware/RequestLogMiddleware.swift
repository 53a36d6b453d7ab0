import Foundation
import Hummingbird
import Logging

/// Gives each request an id (kept from a sane incoming `X-Request-Id`, else random), puts it on the
/// logger and the response, and logs one line per request with status and duration.
struct RequestLogMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        context.requestID = Self.acceptedID(request.headers[.init("X-Request-Id")!]) ?? Self.randomID()
        context.logger[metadataKey: "request_id"] = .string(context.requestID)
        let started = ContinuousClock.now
        let response: Response
        do {
            response = try await next(request, context)
        } catch {
            // The error page middleware sits inside this one, so this is rare: log and rethrow.
            context.logger.error("request failed", metadata: ["path": .string(request.uri.path), "error": .string(String(reflecting: error))])
            throw error
        }
        var tagged = response
        tagged.headers[.init("X-Request-Id")!] = context.requestID
        let milliseconds = (ContinuousClock.now - started).components.attoseconds / 1_000_000_000_000_000
            + (ContinuousClock.now - started).components.seconds * 1000
        context.logger.info(
            "\(request.method) \(request.uri.path) \(response.status.code)",
            metadata: ["ms": .stringConvertible(milliseconds), "ip": .string(context.clientIP)]
        )
        return tagged
    }

    static func acceptedID(_ value: String?) -> String? {
        guard let value, (1...64).contains(value.count),
              value.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") })
        else { return nil }
        return value
    }

    static func randomID() -> String {
        var generator = SystemRandomNumberGenerator()
        let bits: UInt64 = generator.next() & 0xffff_ffff_ffff
        let text = String(bits, radix: 16)
        return String(repeating: "0", count: 12 - text.count) + text
    }
}
