import Hummingbird
import Storage

/// The public statistics page, with charts drawn on the server. Its counts read whole tables, so they are
/// taken at most every ten seconds however many people look.
struct StatsRoutes {
    let views: Views
    let stats: SiteStats
    let recent = RecentValue<SiteStats.Public>(maxAge: .seconds(10))

    func register(on router: Router<AppRequestContext>) {
        router.get("/stats", use: show)
    }

    @Sendable func show(request: Request, context: AppRequestContext) async throws -> Response {
        let numbers = try await recent.get { try await stats.publicStats() }
        let pretty = { (text: String) in text.replacingOccurrences(of: "_", with: " ") }
        return try views.page("stats", title: "Statistics", [
            "activeToday": numbers.activeContributorsToday,
            "acceptedMessages": numbers.messagesByRole.map(\.1).reduce(0, +),
            "trees": numbers.treesByState.map(\.1).reduce(0, +),
            "byLang": BarChart(title: "Accepted messages by language", bars: numbers.messagesByLang.map { ($0.0, $0.1) }).values,
            "byRole": BarChart(title: "Accepted messages by role", bars: numbers.messagesByRole.map { ($0.0, $0.1) }).values,
            "byState": BarChart(title: "Trees by state", bars: numbers.treesByState.map { (pretty($0.0), $0.1) }).values,
        ], context: context, section: "stats").response
    }
}
