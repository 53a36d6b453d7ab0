import Feedback
import Storage

/// The per-user reply limit and the words for a refused reply, shared by the pages and the API.
enum ChatAdmission {
    /// Counts one reply for the user, refusing it when the window is full. A reply the chat rules then
    /// refuse (one already running, a full queue) is given back, so refusals do not use up the allowance.
    static func countReply<T: Sendable>(
        _ user: User, limits: RateLimitStore, chatLimits: ChatLimits, _ work: () async throws -> T
    ) async throws -> T {
        let limit = RateLimitStore.Limit(bucket: "chat-reply", count: chatLimits.repliesPerWindow, window: .seconds(chatLimits.windowSeconds))
        if case .limited(let retry) = try await limits.hit(limit, key: user.id.uuidString) {
            throw AppError.tooManyRequests(
                "You asked for \(chatLimits.repliesPerWindow) replies in the last \(chatLimits.windowSeconds / 60) minutes. Please wait a little.",
                retryAfterSeconds: retry
            )
        }
        do {
            return try await work()
        } catch let refusal as ChatRules.Refusal {
            try await limits.giveBack(limit, key: user.id.uuidString)
            throw refusal
        }
    }

    static func appError(_ refusal: ChatRules.Refusal) -> AppError {
        switch refusal {
        case .queueFull: return .unavailable(refusal.description)
        case .replyInProgress: return .conflict(refusal.description)
        default: return .badRequest(refusal.description)
        }
    }
}
