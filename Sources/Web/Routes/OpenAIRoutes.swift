import Feedback
import Foundation
import Hummingbird
import NIOCore
import Storage

/// The OpenAI-compatible API: `GET /v1/models` and `POST /v1/chat/completions`, streaming or not,
/// for programs holding an API key. Replies go through the same queue, limits and worker as the
/// chat pages; errors come in OpenAI's shape so the official clients raise their usual exceptions.
struct OpenAIRoutes {
    let chats: ChatStore
    let keys: APIKeyStore
    let limits: RateLimitStore
    let chatLimits: ChatLimits
    let follower: ReplyFollower
    let modelName: String?

    func register(on router: Router<AppRequestContext>) {
        router.get("/v1/models", use: models)
        router.post("/v1/chat/completions", use: completions)
    }

    struct Failure: Error {
        var status: HTTPResponse.Status
        var message: String
        var type: String
        var code: String?
        var retryAfter: Int?
    }

    @Sendable func models(request: Request, context: AppRequestContext) async throws -> Response {
        do {
            _ = try await authenticate(request)
            return json(OpenAIWire.models(modelName.map { [Self.modelID($0)] } ?? [], created: Int(Date().timeIntervalSince1970)))
        } catch let failure as Failure {
            return errorResponse(failure)
        }
    }

    @Sendable func completions(request: Request, context: AppRequestContext) async throws -> Response {
        do {
            let user = try await authenticate(request)
            let body: ByteBuffer
            do {
                body = try await request.body.collect(upTo: 1 << 20)
            } catch {
                throw Failure(status: .contentTooLarge, message: "The request body is larger than 1 MiB.", type: "invalid_request_error", code: nil)
            }
            let call: OpenAIWire.Request
            do {
                call = try JSONDecoder().decode(OpenAIWire.Request.self, from: Data(buffer: body))
            } catch {
                throw Failure(status: .badRequest, message: "The request body is not a valid chat completion request: \(Self.describe(error))", type: "invalid_request_error", code: nil)
            }
            guard let modelName else {
                throw Failure(status: .serviceUnavailable, message: "This server has no model loaded.", type: "server_error", code: nil)
            }
            guard call.model == Self.modelID(modelName) || call.model == modelName else {
                throw Failure(status: .notFound, message: "The model `\(call.model)` does not exist; GET /v1/models lists the models here.", type: "invalid_request_error", code: "model_not_found")
            }
            guard (call.n ?? 1) == 1 else {
                throw Failure(status: .badRequest, message: "Only n = 1 is supported.", type: "invalid_request_error", code: nil)
            }
            let sampling = call.sampling(maxNewTokens: chatLimits.maxNewTokens)
            if let problem = sampling.problem {
                throw Failure(status: .badRequest, message: problem, type: "invalid_request_error", code: nil)
            }
            let system = call.messages.filter { $0.role == "system" || $0.role == "developer" }.map(\.content.text).joined(separator: "\n\n")
            var turns: [(role: ChatEntry.Role, content: String)] = []
            for message in call.messages where message.role != "system" && message.role != "developer" {
                switch message.role {
                case "user": turns.append((.prompter, message.content.text))
                case "assistant": turns.append((.assistant, message.content.text))
                default:
                    throw Failure(status: .badRequest, message: "Unsupported message role `\(message.role)`.", type: "invalid_request_error", code: nil)
                }
            }
            guard turns.last?.role == .prompter else {
                throw Failure(status: .badRequest, message: "The last message must have the role `user`.", type: "invalid_request_error", code: nil)
            }
            let parameters = ReplyParameters(preset: nil, sampling: sampling, systemPrompt: system.isEmpty ? nil : system)
            let started: (chat: UUID, reply: UUID)
            do {
                started = try await ChatAdmission.countReply(user, limits: limits, chatLimits: chatLimits) {
                    try await chats.startConversation(
                        userID: user.id, systemPrompt: parameters.systemPrompt, turns: turns,
                        plan: .init(parametersJSON: parameters.json, model: modelName)
                    )
                }
            } catch AppError.tooManyRequests(let message, let retry) {
                throw Failure(status: .tooManyRequests, message: message, type: "requests", code: "rate_limit_exceeded", retryAfter: retry)
            } catch let refusal as ChatRules.Refusal {
                switch refusal {
                case .queueFull: throw Failure(status: .serviceUnavailable, message: refusal.description, type: "server_error", code: "server_busy", retryAfter: 30)
                case .replyInProgress: throw Failure(status: .tooManyRequests, message: "Another request of yours is still being answered; send one at a time.", type: "requests", code: "rate_limit_exceeded", retryAfter: 1)
                default: throw Failure(status: .badRequest, message: refusal.description, type: "invalid_request_error", code: nil)
                }
            } catch ChatFailure.invalid(let why) {
                throw Failure(status: .badRequest, message: why, type: "invalid_request_error", code: nil)
            }
            let id = "chatcmpl-" + started.reply.uuidString.lowercased()
            let created = Int(Date().timeIntervalSince1970)
            if call.stream == true {
                return stream(reply: started.reply, id: id, created: created, model: Self.modelID(modelName))
            }
            return try await wait(reply: started.reply, id: id, created: created, model: Self.modelID(modelName))
        } catch let failure as Failure {
            return errorResponse(failure)
        }
    }

    private func wait(reply: UUID, id: String, created: Int, model: String) async throws -> Response {
        for try await item in follower.follow(reply, after: 0) {
            guard case .event(let event) = item, event.isLast else { continue }
            guard let final = try await chats.entry(reply) else { break }
            if event.kind == "error" || final.state == .failed || final.state == .interrupted || final.state == .timeout {
                throw Failure(status: .internalServerError, message: final.error ?? "The reply could not be written.", type: "server_error", code: nil)
            }
            return json(OpenAIWire.completion(
                id: id, created: created, model: model, text: final.content, finishReason: final.finishReason == "length" ? "length" : "stop",
                promptTokens: final.promptTokens ?? 0, completionTokens: final.completionTokens ?? 0
            ))
        }
        throw Failure(status: .internalServerError, message: "The reply ended without a result.", type: "server_error", code: nil)
    }

    private func stream(reply: UUID, id: String, created: Int, model: String) -> Response {
        let items = follower.follow(reply, after: 0)
        let chats = self.chats
        var headers = HTTPFields()
        headers[.contentType] = "text/event-stream; charset=utf-8"
        headers[.cacheControl] = "no-cache"
        return Response(status: .ok, headers: headers, body: ResponseBody { writer in
            func send(_ object: [String: Any]) async throws {
                try await writer.write(ByteBuffer(string: "data: \(OpenAIWire.encode(object))\n\n"))
            }
            try await send(OpenAIWire.chunk(id: id, created: created, model: model, delta: ["role": "assistant", "content": ""], finishReason: nil))
            for try await item in items {
                guard case .event(let event) = item else { continue }
                if event.kind == "token" {
                    let text = (try? JSONSerialization.jsonObject(with: Data(event.data.utf8)) as? [String: Any])?["text"] as? String ?? ""
                    try await send(OpenAIWire.chunk(id: id, created: created, model: model, delta: ["content": text], finishReason: nil))
                    continue
                }
                let final = try await chats.entry(reply)
                if event.kind == "error" || final?.state == .failed {
                    try await send(OpenAIWire.error(final?.error ?? "The reply could not be written.", type: "server_error", code: nil))
                } else {
                    try await send(OpenAIWire.chunk(id: id, created: created, model: model, delta: [:], finishReason: final?.finishReason == "length" ? "length" : "stop"))
                }
                break
            }
            try await writer.write(ByteBuffer(string: "data: [DONE]\n\n"))
            try await writer.finish(nil)
        })
    }

    private func authenticate(_ request: Request) async throws -> User {
        guard let header = request.headers[.authorization], header.lowercased().hasPrefix("bearer ") else {
            throw Failure(status: .unauthorized, message: "You didn't provide an API key. Create one on your account page and send it as `Authorization: Bearer KEY`.", type: "invalid_request_error", code: "invalid_api_key")
        }
        let key = String(header.dropFirst("bearer ".count)).trimmingCharacters(in: .whitespaces)
        guard let user = try await keys.user(forKey: key) else {
            throw Failure(status: .unauthorized, message: "Incorrect API key provided.", type: "invalid_request_error", code: "invalid_api_key")
        }
        guard !user.banned else {
            throw Failure(status: .forbidden, message: "This account is banned.", type: "invalid_request_error", code: "account_banned")
        }
        return user
    }

    private func json(_ object: [String: Any], status: HTTPResponse.Status = .ok) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: OpenAIWire.encode(object))))
    }

    private func errorResponse(_ failure: Failure) -> Response {
        var response = json(OpenAIWire.error(failure.message, type: failure.type, code: failure.code), status: failure.status)
        if let retry = failure.retryAfter { response.headers[.retryAfter] = String(retry) }
        return response
    }

    /// The model's name as an API id: "Gemma 3 270m" is `gemma-3-270m`.
    static func modelID(_ name: String) -> String {
        let words = name.lowercased().split { !($0.isLetter || $0.isNumber || $0 == "." || $0 == "_" || $0 == "-") }
        return words.isEmpty ? "default" : words.joined(separator: "-")
    }

    private static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, _): return "missing field `\(key.stringValue)`"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            return "wrong type at `\(context.codingPath.map(\.stringValue).joined(separator: "."))`"
        case DecodingError.dataCorrupted: return "not valid JSON"
        default: return "unreadable"
        }
    }
}
