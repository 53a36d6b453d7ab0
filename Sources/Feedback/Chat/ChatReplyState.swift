/// Where an assistant reply stands. Prompter messages are always `manual`.
public enum ChatReplyState: String, Sendable, CaseIterable, Codable {
    case manual
    /// Waiting in the queue for the model.
    case pending
    case inProgress = "in_progress"
    case complete
    /// Stopped by the user; the partial text is kept.
    case cancelled
    /// The server stopped while the reply was queued or being written.
    case interrupted
    case failed
    case timeout

    /// Still waiting or generating: the page keeps streaming (or refreshing) until this is false.
    public var isActive: Bool { self == .pending || self == .inProgress }

    /// Ended without a complete reply: the page offers "retry".
    public var endedEarly: Bool { [.cancelled, .interrupted, .failed, .timeout].contains(self) }

    /// Words for the person reading the chat.
    public var caption: String? {
        switch self {
        case .manual, .complete: return nil
        case .pending: return "waiting for the assistant"
        case .inProgress: return "writing"
        case .cancelled: return "stopped"
        case .interrupted: return "interrupted — the server restarted"
        case .failed: return "failed"
        case .timeout: return "timed out"
        }
    }
}
