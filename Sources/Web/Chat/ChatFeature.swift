import Feedback
import Foundation
import Hummingbird
import Inference
import Logging
import ServiceLifecycle
import Storage

/// The chat's parts assembled once: stores, signals, the worker (when there is a model) and routes.
struct ChatFeature {
    let services: [any Service]
    private let register: @Sendable (Router<AppRequestContext>) -> Void

    init(configuration: ServerConfiguration, database: Database, views: Views, generator: (any TextGenerator)?, logger: Logger) {
        let limits = configuration.chatLimits
        let chats = ChatStore(database: database, limits: limits)
        let signals = ChatSignals()
        let follower = ReplyFollower(log: ChatEventLog(database: database), signals: signals)
        let rateLimits = RateLimitStore(database: database)
        let modelName = generator?.modelName
        var services: [any Service] = [ChatNotificationListener(database: database, signals: signals, logger: logger)]
        if let generator {
            let capacity = (generator as? InferenceEngine)?.configuration.maxConcurrent ?? 8
            let queue = ChatQueue(database: database, worker: configuration.workerName, limits: limits)
            services.append(ChatWorker(queue: queue, generator: generator, signals: signals, capacity: capacity, logger: logger))
        }
        self.services = services
        let keys = APIKeyStore(database: database)
        register = { router in
            ChatRoutes(views: views, chats: chats, modelName: modelName).register(on: router)
            ChatReplyRoutes(chats: chats, limits: rateLimits, chatLimits: limits, modelName: modelName).register(on: router)
            ChatStreamRoutes(chats: chats, follower: follower).register(on: router)
            ChatShareRoutes(views: views, chats: chats).register(on: router)
            OpenAIRoutes(chats: chats, keys: keys, limits: rateLimits, chatLimits: limits, follower: follower, modelName: modelName).register(on: router)
            APIKeyRoutes(views: views, keys: keys, publicURL: configuration.publicURL, modelName: modelName).register(on: router)
        }
    }

    func register(on router: Router<AppRequestContext>) {
        register(router)
    }
}
