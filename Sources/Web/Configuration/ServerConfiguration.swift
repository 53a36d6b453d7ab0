import Feedback
import Foundation
import Storage

/// Everything the server reads from its environment, validated at start: a bad value stops the
/// process with a message naming the variable, instead of failing later on a request.
public struct ServerConfiguration: Sendable {
    public var databaseURL: DatabaseURL
    public var host: String
    public var port: Int
    public var publicURL: URL
    public var smtpURL: String
    /// The sender of sign-in mails.
    public var mailFrom: String
    public var mailInboxURL: URL?
    public var modelPath: String
    public var inferenceURL: URL?
    public var resourceRoot: URL
    public var signInTokenLifetime: Duration
    /// Task requests one user may make per four minutes (Open Assistant's limit: 30).
    public var taskRequestsPerFourMinutes: Int
    /// Open tasks one user may hold from the last five minutes (Open Assistant's limit: 8).
    public var maxPendingTasks: Int
    /// How long an open task counts as pending, and an open reply task holds its message for everyone else
    /// (Open Assistant's span: 300 s).
    public var recentTaskSpanSeconds = TreeManagerConfiguration.default.recentTasksSpanSeconds
    /// Fairness and size limits of the chat.
    public var chatLimits: ChatLimits
    /// How this process signs the chat replies it writes; a restarted process with the same name
    /// knows the replies it was writing before are lost.
    public var workerName: String
    /// How often the leaderboard is ranked anew; pages show the last ranking.
    public var leaderboardRankInterval: Duration = .seconds(60)

    public static let defaultDatabaseURL = "postgres://oasst@127.0.0.1:5432/oasst"

    public init(
        databaseURL: DatabaseURL, host: String = "127.0.0.1", port: Int = 8080, publicURL: URL? = nil,
        smtpURL: String = "smtp://127.0.0.1:1025", mailFrom: String = "noreply@localhost", mailInboxURL: URL? = URL(string: "http://127.0.0.1:1080"),
        modelPath: String = ".data/models/gemma-3-270m-q4_k_m.gguf", inferenceURL: URL? = nil,
        resourceRoot: URL = ResourceRoot.locate(), signInTokenLifetime: Duration = .seconds(15 * 60),
        taskRequestsPerFourMinutes: Int = 30, maxPendingTasks: Int = 8, chatLimits: ChatLimits = .default,
        workerName: String? = nil
    ) {
        self.databaseURL = databaseURL
        self.host = host
        self.port = port
        self.publicURL = publicURL ?? URL(string: "http://\(host):\(port)")!
        self.smtpURL = smtpURL
        self.mailFrom = mailFrom
        self.mailInboxURL = mailInboxURL
        self.modelPath = modelPath
        self.inferenceURL = inferenceURL
        self.resourceRoot = resourceRoot
        self.signInTokenLifetime = signInTokenLifetime
        self.taskRequestsPerFourMinutes = taskRequestsPerFourMinutes
        self.maxPendingTasks = maxPendingTasks
        self.chatLimits = chatLimits
        self.workerName = workerName ?? "\(ProcessInfo.processInfo.hostName):\(port)"
    }

    /// Reads `OASST_*` variables; every one has a working default for the local stack.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws -> ServerConfiguration {
        let reader = EnvironmentReader(environment: environment)
        let databaseURL = try reader.value("OASST_DATABASE_URL", default: defaultDatabaseURL) { try DatabaseURL(parsing: $0) }
        let host = try reader.value("OASST_HOST", default: "127.0.0.1") { text -> String in
            guard !text.isEmpty, !text.contains(where: { $0.isWhitespace || $0 == "/" }) else { throw Invalid("expected a host name or IP address") }
            return text
        }
        let port = try reader.value("OASST_PORT", default: "8080") { text -> Int in
            guard let port = Int(text), (0...65535).contains(port) else { throw Invalid("expected a port number 0-65535") }
            return port
        }
        let publicURL = try reader.value("OASST_PUBLIC_URL", default: "http://\(host):\(port)") { try httpURL($0) }
        let smtpURL = try reader.value("OASST_SMTP_URL", default: "smtp://127.0.0.1:1025") { text -> String in
            guard let scheme = URLComponents(string: text)?.scheme, ["smtp", "smtps"].contains(scheme) else {
                throw Invalid("expected smtp://host:port or smtps://host:port")
            }
            return text
        }
        let mailFrom = try reader.value("OASST_MAIL_FROM", default: "noreply@localhost") { text -> String in
            guard text.contains("@"), !text.contains(where: { $0.isNewline || $0 == "<" || $0 == ">" }) else {
                throw Invalid("expected a plain address such as noreply@example.org")
            }
            return text
        }
        let inbox = try reader.optional("OASST_MAIL_INBOX_URL", default: "http://127.0.0.1:1080") { try httpURL($0) }
        let model = try reader.value("OASST_MODEL", default: ".data/models/gemma-3-270m-q4_k_m.gguf") { text -> String in
            guard !text.isEmpty else { throw Invalid("expected the path of a GGUF file") }
            return text
        }
        let inferenceURL = try reader.optional("OASST_INFERENCE_URL", default: nil) { try httpURL($0) }
        let tokenMinutes = try reader.value("OASST_SIGNIN_TOKEN_MINUTES", default: "15") { text -> Int in
            guard let minutes = Int(text), (1...1440).contains(minutes) else { throw Invalid("expected minutes between 1 and 1440") }
            return minutes
        }
        let taskRequests = try reader.value("OASST_TASK_REQUEST_LIMIT", default: "30") { text -> Int in
            guard let count = Int(text), count >= 1 else { throw Invalid("expected a positive number of task requests per 4 minutes") }
            return count
        }
        let pending = try reader.value("OASST_MAX_PENDING_TASKS", default: "8") { text -> Int in
            guard let count = Int(text), count >= 1 else { throw Invalid("expected a positive number of open tasks") }
            return count
        }
        var chat = ChatLimits.default
        chat.maxNewTokens = try reader.value("OASST_CHAT_MAX_TOKENS", default: "\(chat.maxNewTokens)") { try positive($0, "tokens per reply") }
        chat.repliesPerWindow = try reader.value("OASST_CHAT_REPLY_LIMIT", default: "\(chat.repliesPerWindow)") { try positive($0, "replies per 10 minutes") }
        chat.maxQueued = try reader.value("OASST_CHAT_QUEUE_LIMIT", default: "\(chat.maxQueued)") { try positive($0, "queued replies") }
        chat.generationTimeoutSeconds = try reader.value("OASST_CHAT_TIMEOUT_SECONDS", default: "\(chat.generationTimeoutSeconds)") { try positive($0, "seconds") }
        let workerName = try reader.optional("OASST_WORKER_NAME", default: nil) { text -> String in
            guard text.count <= 200 else { throw Invalid("expected a name of at most 200 characters") }
            return text
        }
        let rankSeconds = try reader.value("OASST_LEADERBOARD_REFRESH_SECONDS", default: "60") { try positive($0, "seconds") }
        let root = try reader.optional("OASST_ROOT", default: nil) { text -> URL in
            let url = URL(fileURLWithPath: text)
            guard FileManager.default.fileExists(atPath: url.appendingPathComponent("Templates").path) else {
                throw Invalid("no Templates folder in \(text)")
            }
            return url
        }
        var configuration = ServerConfiguration(
            databaseURL: databaseURL, host: host, port: port, publicURL: publicURL, smtpURL: smtpURL,
            mailFrom: mailFrom, mailInboxURL: inbox, modelPath: model, inferenceURL: inferenceURL,
            resourceRoot: root ?? ResourceRoot.locate(), signInTokenLifetime: .seconds(tokenMinutes * 60),
            taskRequestsPerFourMinutes: taskRequests, maxPendingTasks: pending, chatLimits: chat, workerName: workerName
        )
        configuration.leaderboardRankInterval = .seconds(rankSeconds)
        return configuration
    }

    public var usesHTTPS: Bool { publicURL.scheme == "https" }

    struct Invalid: Error {
        let reason: String
        init(_ reason: String) { self.reason = reason }
    }

    private static func positive(_ text: String, _ what: String) throws -> Int {
        guard let number = Int(text), number >= 1 else { throw Invalid("expected a positive number of \(what)") }
        return number
    }

    private static func httpURL(_ text: String) throws -> URL {
        guard let url = URL(string: text), let scheme = url.scheme, ["http", "https"].contains(scheme), url.host != nil else {
            throw Invalid("expected an http:// or https:// URL")
        }
        return url
    }
}

/// The error that stops the server at start: names the variable, its value and what was expected.
public struct ConfigurationError: Error, CustomStringConvertible {
    public let variable: String
    public let value: String
    public let reason: String
    public var description: String { "\(variable)='\(value)' is not valid: \(reason)" }
}

private struct EnvironmentReader {
    let environment: [String: String]

    func value<T>(_ name: String, default fallback: String, _ parse: (String) throws -> T) throws -> T {
        let text = environment[name].flatMap { $0.isEmpty ? nil : $0 } ?? fallback
        return try parsed(name, text, parse)
    }

    func optional<T>(_ name: String, default fallback: String?, _ parse: (String) throws -> T) throws -> T? {
        if let text = environment[name] {
            // An empty value switches an optional feature off.
            return text.isEmpty ? nil : try parsed(name, text, parse)
        }
        return try fallback.map { try parsed(name, $0, parse) }
    }

    private func parsed<T>(_ name: String, _ text: String, _ parse: (String) throws -> T) throws -> T {
        do {
            return try parse(text)
        } catch let error as ServerConfiguration.Invalid {
            throw ConfigurationError(variable: name, value: text, reason: error.reason)
        } catch {
            throw ConfigurationError(variable: name, value: text, reason: String(describing: error))
        }
    }
}
