import Hummingbird
import Logging

/// Turns every error into a page a person can read: the typed ones say what to do, anything else is
/// a plain 500 that shows the request id and logs the cause. Internals never reach the page.
struct ErrorPageMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let views: Views

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch AppError.unauthorized where request.method == .get {
            // A signed-out visitor asking for a page is simply sent to sign in.
            return Response(status: .seeOther, headers: [.location: "/signin"])
        } catch let error as AppError {
            return try page(for: error, request: request, context: context)
        } catch let error as any HTTPResponseError {
            if error.status.code >= 500 {
                context.logger.error("server error", metadata: ["error": .string(String(reflecting: error))])
                return try internalError(request: request, context: context)
            }
            return try page(for: AppError.from(error), request: request, context: context)
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            context.logger.error("unhandled error", metadata: ["path": .string(request.uri.path), "error": .string(String(reflecting: error))])
            return try internalError(request: request, context: context)
        }
    }

    private func page(for error: AppError, request: Request, context: Context) throws -> Response {
        var response = try views.page(
            "error", title: error.heading,
            ["heading": error.heading, "message": error.message, "status": Int(error.status.code),
             "signIn": error.status == .unauthorized],
            context: context, status: error.status
        ).response(from: request, context: context)
        if case .tooManyRequests(_, let seconds) = error {
            response.headers[.retryAfter] = String(seconds)
        }
        return response
    }

    private func internalError(request: Request, context: Context) throws -> Response {
        try views.page(
            "error", title: "Something went wrong",
            ["heading": "Something went wrong", "status": 500,
             "message": "The server could not finish this request. Please try again in a moment; if it keeps happening, tell us the reference below."],
            context: context, status: .internalServerError
        ).response(from: request, context: context)
    }
}
