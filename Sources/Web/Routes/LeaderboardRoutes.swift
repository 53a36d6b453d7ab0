import Feedback
import Foundation
import Hummingbird
import Storage

/// The leaderboard (a tab per time frame, pages of 50, the signed-in user and their neighbours) and
/// each contributor's profile with their stats, level and streak.
struct LeaderboardRoutes {
    let views: Views
    let leaderboard: Leaderboard
    let users: UserStore
    let fragments = BoardFragments()
    static let pageSize = 50

    func register(on router: Router<AppRequestContext>) {
        router.get("/leaderboard", use: board)
        router.get("/users/:id", use: profile)
    }

    @Sendable func board(request: Request, context: AppRequestContext) async throws -> Response {
        let frame = try TimeFrameTabs.parse(request.uri.queryParameters["frame"].map(String.init))
        let pageNumber = try Self.pageNumber(request.uri.queryParameters["page"].map(String.init))
        let state = try await fragments.state.get { try await leaderboard.state() }
        let me = context.user?.id
        let pageKey = BoardFragments.PageKey(frame: frame, page: pageNumber)
        if me == nil, let html = fragments.signedOutPages.value(pageKey, version: state.version) {
            return HTMLPage(html: html).response
        }
        let rows = try await rows(frame, pageNumber: pageNumber, version: state.version, me: me)
        var values: [String: Any] = [
            "tabs": TimeFrameTabs.values(selected: frame, path: "/leaderboard"),
            "frameTitle": TimeFrameTabs.title(frame),
            "rowsHtml": rows.html,
            "hasRows": rows.hasRows,
            "page": pageNumber,
        ]
        if let rankedAt = state.rankedAt { values["rankedAt"] = DateText.minute(rankedAt) }
        if pageNumber > 1 { values["previousHref"] = "/leaderboard?frame=\(frame.rawValue)&page=\(pageNumber - 1)" }
        if rows.hasMore { values["nextHref"] = "/leaderboard?frame=\(frame.rawValue)&page=\(pageNumber + 1)" }
        if let me, !rows.userIDs.contains(me) {
            if let neighbours = try await place(of: me, in: frame, version: state.version).neighboursHtml {
                values["neighboursHtml"] = neighbours
                values["hasNeighbours"] = true
            } else if context.user?.showOnLeaderboard == false {
                values["optedOut"] = true
            }
        }
        let page = try views.page("leaderboard", title: "Leaderboard", values, context: context, section: "leaderboard")
        if me == nil { fragments.signedOutPages.store(page.html, for: pageKey, version: state.version) }
        return page.response
    }

    /// The page's rows: rendered once per board version and shared, except for the one page that holds
    /// the reader's own row, which is rendered for them with their row marked.
    private func rows(_ frame: TimeFrame, pageNumber: Int, version: Int, me: UUID?) async throws -> BoardFragments.Rows {
        let key = BoardFragments.PageKey(frame: frame, page: pageNumber)
        if let cached = fragments.pages.value(key, version: version), me.map({ !cached.userIDs.contains($0) }) ?? true {
            return cached
        }
        let page = try await leaderboard.page(frame, offset: (pageNumber - 1) * Self.pageSize, limit: Self.pageSize)
        let rows = BoardFragments.Rows(
            html: try views.renderer.renderPartial("leaderboard_rows", ["rows": page.rows.map { Self.row($0, me: me) }]),
            userIDs: Set(page.rows.map(\.userID)), hasRows: !page.rows.isEmpty, hasMore: page.hasMore
        )
        if me.map({ !rows.userIDs.contains($0) }) ?? true { fragments.pages.store(rows, for: key, version: version) }
        return rows
    }

    private func place(of me: UUID, in frame: TimeFrame, version: Int) async throws -> BoardFragments.Place {
        let key = BoardFragments.ReaderKey(frame: frame, userID: me)
        if let cached = fragments.places.value(key, version: version) { return cached }
        let around = try await leaderboard.neighbours(of: me, in: frame)
        let place = BoardFragments.Place(
            neighboursHtml: around.isEmpty ? nil : try views.renderer.renderPartial("leaderboard_rows", ["rows": around.map { Self.row($0, me: me) }])
        )
        fragments.places.store(place, for: key, version: version)
        return place
    }

    @Sendable func profile(request: Request, context: AppRequestContext) async throws -> Response {
        guard let raw = context.parameters.get("id"), let id = UUID(uuidString: raw), let user = try await users.find(id: id), !user.deleted else {
            throw AppError.notFound
        }
        let viewer = context.user
        // Opted-out and banned people have no public profile; they and the moderators still see it.
        let isSelf = viewer?.id == id
        guard (user.showOnLeaderboard && !user.banned) || isSelf || (viewer?.role ?? .general) >= .moderator else {
            throw AppError.notFound
        }
        let stats = try await leaderboard.stats(of: id)
        let total = stats.first { $0.frame == .total }?.score ?? 0
        let level = Level.level(forScore: total)
        let streak = try await leaderboard.streak(of: id)
        var values: [String: Any] = [
            "name": user.displayName ?? "Contributor",
            "isSelf": isSelf,
            "level": level,
            "score": total,
            "streakDays": streak?.currentDays(at: Date()) ?? 0,
            "memberSince": DateText.minute(user.createdAt),
            "frames": stats.map(Self.statsRow),
        ]
        if let next = Level.nextThreshold(after: level) {
            let floor = Level.thresholds[level - 1]
            values["nextLevelAt"] = next
            values["progressPercent"] = Int((Double(total - floor) / Double(max(1, next - floor)) * 100).rounded(.down))
        }
        if viewer.map({ $0.role >= .moderator }) == true { values["moderationHref"] = "/moderation/users/\(id.uuidString.lowercased())" }
        return try views.page("profile", title: user.displayName ?? "Contributor", values, context: context, section: "leaderboard").response
    }

    static func pageNumber(_ raw: String?) throws -> Int {
        guard let raw, !raw.isEmpty else { return 1 }
        guard let number = Int(raw), (1...100_000).contains(number) else {
            throw AppError.badRequest("“\(raw.prefix(20))” is not a page number.")
        }
        return number
    }

    static func row(_ row: Leaderboard.Row, me: UUID?) -> [String: Any] {
        [
            "rank": row.rank, "name": row.displayName, "score": row.score, "level": Level.level(forScore: row.score),
            "href": "/users/\(row.userID.uuidString.lowercased())", "isMe": row.userID == me,
        ]
    }

    static func statsRow(_ stats: Leaderboard.UserStats) -> [String: Any] {
        let c = stats.counts
        return [
            "title": TimeFrameTabs.title(stats.frame), "score": stats.score, "rank": stats.rank.map(String.init) ?? "—",
            "prompts": c.prompts, "acceptedPrompts": c.acceptedPrompts,
            "replies": c.repliesAssistant + c.repliesPrompter, "acceptedReplies": c.acceptedRepliesAssistant + c.acceptedRepliesPrompter,
            "labels": c.labelsSimple + c.labelsFull, "rankings": c.rankingsTotal, "rankingsGood": c.rankingsGood,
            "ranked1": c.replyRanked1, "ranked2": c.replyRanked2, "ranked3": c.replyRanked3,
        ]
    }
}
