import Feedback
import Foundation

extension SyntheticReplyPolicy {
    /// Reads `OASST_SYNTHETIC_REPLIES` (replies per prompt; 0 or unset is off), `OASST_SYNTHETIC_REPLIES_PER_HOUR`
    /// (default 60) and `OASST_SYNTHETIC_CONCURRENCY` (default 1). A bad value stops the server at start.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws -> SyntheticReplyPolicy {
        func count(_ name: String, default fallback: Int) throws -> Int {
            guard let text = environment[name], !text.isEmpty else { return fallback }
            guard let value = Int(text), value >= 0 else {
                throw ConfigurationError(variable: name, value: text, reason: "expected a whole number, 0 or more")
            }
            return value
        }
        return SyntheticReplyPolicy(
            repliesPerPrompt: try count("OASST_SYNTHETIC_REPLIES", default: 0),
            maxRepliesPerHour: try count("OASST_SYNTHETIC_REPLIES_PER_HOUR", default: 60),
            maxConcurrentGenerations: try count("OASST_SYNTHETIC_CONCURRENCY", default: 1)
        )
    }
}
