import Feedback
import Foundation
import Hummingbird

/// What every moderation form shares: the id in the path and the stated reason.
enum ModerationForm {
    static func id(_ context: AppRequestContext, _ name: String = "id") throws -> UUID {
        guard let raw = context.parameters.get(name), let id = UUID(uuidString: raw) else { throw AppError.notFound }
        return id
    }

    /// The reason the audit log keeps; actions that change what others see must give one.
    static func reason(_ context: AppRequestContext, for action: StaffAction) throws -> String {
        let reason = (context.form["reason"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if action.needsReason && reason.isEmpty {
            throw AppError.badRequest("Please give a reason: it goes into the audit log with what you did.")
        }
        guard reason.count <= 2000 else { throw AppError.badRequest("The reason is too long; 2000 characters at most.") }
        return reason
    }

    /// Back to the page the form was on (paths on this site only).
    static func back(_ context: AppRequestContext, fallback: String) -> Response {
        redirect(to: MessageRoutes.safeReturn(context.form["return_to"], fallback: fallback))
    }
}
