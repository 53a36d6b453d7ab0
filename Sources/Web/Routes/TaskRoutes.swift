import Feedback
import Foundation
import Hummingbird
import Storage

/// Contributor tasks: the dashboard of what is available, taking the next task (random by the
/// weights, or of one kind), one page per kind, submit, and skip. After a submit the next task
/// of the same kind appears. Every page works without JavaScript.
struct TaskRoutes {
    let views: Views
    let desk: TaskDesk
    let trees: TreeStore
    let limits: RateLimitStore
    let requestLimit: RateLimitStore.Limit

    func register(on router: Router<AppRequestContext>) {
        router.get("/tasks", use: dashboard)
        router.post("/tasks/new", use: newTask)
        router.get("/tasks/:id", use: show)
        router.post("/tasks/:id", use: submit)
        router.post("/tasks/:id/skip", use: skip)
    }

    /// Signed in, onboarded, not banned (banned users never get this far: their sessions end).
    private func contributor(_ context: AppRequestContext) throws -> User {
        let user = try context.requireUser()
        if user.needsOnboarding { throw AppError.forbidden("Please choose a display name and accept the terms first: open your dashboard to do so.") }
        return user
    }

    @Sendable func dashboard(request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireUser()
        if user.needsOnboarding { return redirect(to: "/welcome") }
        let availability = try await desk.availability(for: user.id)
        let kinds: [[String: Any]] = TaskKindText.pickable.map { kind in
            ["kind": kind.rawValue, "title": TaskKindText.title(kind), "help": TaskKindText.help(kind), "count": availability[kind], "available": availability[kind] > 0]
        }
        var values: [String: Any] = ["kinds": kinds, "total": availability.total, "anything": availability.total > 0]
        if let notice = request.uri.queryParameters.get("notice") { values["notice"] = Self.notices[notice] ?? "" }
        return try views.page("tasks", title: "Tasks", values, context: context, section: "tasks").response
    }

    static let notices = [
        "none": "There is no task of that kind for you right now. Try another kind, or come back later.",
        "thanks": "Thank you! There is no further task of that kind right now.",
        "skipped": "Task skipped.",
    ]

    @Sendable func newTask(request: Request, context: AppRequestContext) async throws -> Response {
        let user = try contributor(context)
        if case .limited(let seconds) = try await limits.hit(requestLimit, key: user.id.uuidString) {
            throw AppError.tooManyRequests("You asked for many tasks in a short time. Please wait \(seconds) seconds.", retryAfterSeconds: seconds)
        }
        let kind = context.form["kind"].flatMap { $0.isEmpty ? nil : TaskKind(rawValue: $0) }
        if let raw = context.form["kind"], !raw.isEmpty, kind == nil { throw AppError.badRequest("Unknown task kind.") }
        do {
            let task = try await desk.nextTask(for: user.id, kind: kind)
            return redirect(to: "/tasks/\(task.id.uuidString.lowercased())")
        } catch TaskFailure.nothingAvailable {
            return redirect(to: "/tasks?notice=none")
        } catch TaskFailure.rejected(let error) {
            throw AppError.tooManyRequests(error.description, retryAfterSeconds: 60)
        }
    }

    private func loadTask(_ context: AppRequestContext, user: User) async throws -> StoredTask {
        guard let task = try await desk.task(try taskID(context), for: user.id) else { throw AppError.notFound }
        return task
    }

    /// The task id in the path; a malformed one is a task that does not exist.
    private func taskID(_ context: AppRequestContext) throws -> UUID {
        guard let raw = context.parameters.get("id"), let id = UUID(uuidString: raw) else { throw AppError.notFound }
        return id
    }

    @Sendable func show(request: Request, context: AppRequestContext) async throws -> Response {
        let user = try contributor(context)
        let task = try await loadTask(context, user: user)
        if task.done || task.skipped { return redirect(to: "/tasks") }
        return try await page(for: task, context: context)
    }

    /// The page of one task; `error` and `form` re-show a refused submission with the person's input kept.
    private func page(for task: StoredTask, context: AppRequestContext, error: String? = nil, status: HTTPResponse.Status = .ok) async throws -> Response {
        var values: [String: Any] = [
            "taskID": task.id.uuidString.lowercased(),
            "kind": task.kind.rawValue,
            "kindTitle": TaskKindText.title(task.kind),
            "help": TaskKindText.help(task.kind),
            "text": context.form["text"] ?? "",
            "limit": desk.limits.messageSizeLimit,
        ]
        if let error { values["error"] = error }
        let template: String
        switch task.choice {
        case .initialPrompt:
            template = "task_write"
            values["isPrompt"] = true
        case .reply(let kind, let parentID, _):
            template = "task_write"
            values["conversation"] = MessageView.conversation(try await trees.conversation(endingAt: parentID))
            values["asAssistant"] = kind == .assistantReply
        case .label(_, let messageID, _, let labelSet):
            template = "task_label"
            var conversation = MessageView.conversation(try await trees.conversation(endingAt: messageID))
            if !conversation.isEmpty { conversation[conversation.count - 1]["highlight"] = true }
            values["conversation"] = conversation
            values["labels"] = LabelFormView.fields(for: labelSet, form: context.form)
        case .ranking(_, let parentID, _, let replyIDs, let revealSynthetic):
            template = "task_rank"
            values["conversation"] = MessageView.conversation(try await trees.conversation(endingAt: parentID))
            let replies = Dictionary(uniqueKeysWithValues: try await trees.messages(ids: replyIDs).map { ($0.id, $0) })
            values["replies"] = replyIDs.enumerated().compactMap { index, id -> [String: Any]? in
                guard let reply = replies[id] else { return nil }
                var item = MessageView.values(reply)
                if !revealSynthetic { item["modelName"] = nil }
                item["letter"] = String(UnicodeScalar(UInt8(65 + index)))
                item["places"] = (1...replyIDs.count).map { place in
                    ["place": place, "selected": context.form["rank_\(id.uuidString.lowercased())"] == String(place)]
                }
                return item
            }
        }
        return try views.page(template, title: TaskKindText.title(task.kind), values, context: context, status: status, section: "tasks").response
    }

    @Sendable func submit(request: Request, context: AppRequestContext) async throws -> Response {
        let user = try contributor(context)
        let id = try taskID(context)
        return try await desk.countingScoresAlongside {
            let task: StoredTask
            do {
                task = try await desk.submit(taskID: id, userID: user.id) { try Self.answer(to: $0, form: context.form) }
            } catch let failure as TaskFailure {
                switch failure {
                case .notFound: throw AppError.notFound
                case .rejected(.taskAlreadyDone), .rejected(.taskExpired), .treeChanged:
                    throw AppError.conflict(failure.description)
                default:
                    // A refusal the person can mend: the task page again, with the message.
                    return try await page(for: try await loadTask(context, user: user), context: context, error: failure.description, status: .unprocessableContent)
                }
            }
            // The next task of the same kind, so a contributor can keep going.
            do {
                let next = try await desk.nextTask(for: user.id, kind: task.kind)
                return redirect(to: "/tasks/\(next.id.uuidString.lowercased())?done=1")
            } catch is TaskFailure {
                return redirect(to: "/tasks?notice=thanks")
            }
        }
    }

    /// What the submitted form says for `task`; a form that does not fit the task is refused with the reason.
    private static func answer(to task: StoredTask, form: FormData) throws -> TaskAnswer {
        switch task.choice {
        case .initialPrompt, .reply:
            return .text(form["text"] ?? "")
        case .label(_, _, _, let labelSet):
            let values = try LabelFormView.values(from: form, labelSet: labelSet)
            let note = form["note"].flatMap { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : $0 }
            return .labels(values, note: note)
        case .ranking(_, _, _, let replyIDs, _):
            var places: [UUID: Int] = [:]
            for id in replyIDs {
                guard let place = form["rank_\(id.uuidString.lowercased())"].flatMap(Int.init) else {
                    throw TaskFailure.rejected(.rankingNotAPermutation)
                }
                places[id] = place
            }
            if form.names.contains(where: { $0.hasPrefix("rank_") && !replyIDs.map { "rank_\($0.uuidString.lowercased())" }.contains($0) }) {
                throw TaskFailure.rejected(.rankingNamesForeignReplies)
            }
            switch RankingValidation.rankedIDs(places: places, offeredIDs: replyIDs) {
            case .failure(let error): throw TaskFailure.rejected(error)
            case .success(let ranked): return .ranking(ranked, notRankable: form["not_rankable"] == "1")
            }
        }
    }

    @Sendable func skip(request: Request, context: AppRequestContext) async throws -> Response {
        let user = try contributor(context)
        let task = try await loadTask(context, user: user)
        do {
            try await desk.skip(taskID: task.id, userID: user.id, reason: context.form["reason"])
        } catch let failure as TaskFailure {
            throw AppError.conflict(failure.description)
        }
        return redirect(to: "/tasks?notice=skipped")
    }
}
