import Hummingbird
import Storage

/// Leaderboards, statistics, moderation and administration, registered together.
enum CommunityRoutes {
    static func register(on router: Router<AppRequestContext>, views: Views, database: Database, users: UserStore, desk: TaskDesk) {
        let trees = TreeStore(database: database)
        let leaderboard = Leaderboard(database: database)
        let search = MessageSearch(database: database)
        let audit = AuditLog(database: database)
        let stats = SiteStats(database: database)
        LeaderboardRoutes(views: views, leaderboard: leaderboard, users: users).register(on: router)
        StatsRoutes(views: views, stats: stats).register(on: router)
        ModerationRoutes(
            views: views, trees: trees, flags: FlagQueue(database: database), content: ContentModeration(database: database, config: desk.config),
            search: search, trollboard: Trollboard(database: database), audit: audit
        ).register(on: router)
        ModerationUserRoutes(views: views, people: UserModeration(database: database), search: search, audit: audit, leaderboard: leaderboard)
            .register(on: router)
        AdminRoutes(views: views, desk: desk, trees: trees, stats: stats).register(on: router)
    }
}
