import Feedback
import Foundation
import Hummingbird
import Storage

/// The admins' status page: trees per state, tasks available per kind, queue sizes and the tree
/// manager's configuration as the server runs it.
struct AdminRoutes {
    let views: Views
    let desk: TaskDesk
    let trees: TreeStore
    let stats: SiteStats

    func register(on router: Router<AppRequestContext>) {
        router.get("/admin", use: status)
    }

    @Sendable func status(request: Request, context: AppRequestContext) async throws -> Response {
        let admin = try context.requireRole(.admin)
        let states = try await trees.countsByState()
        let availability = try await desk.availability(for: admin.id)
        let queues = try await stats.queues()
        let stateRows: [[String: Any]] = TreeState.allCases.map { ["name": $0.rawValue.replacingOccurrences(of: "_", with: " "), "count": states[$0] ?? 0] }
        let taskRows: [[String: Any]] = TaskKind.allCases.map { ["name": TaskKindText.title($0), "count": availability[$0]] }
        return try views.page("admin_status", title: "System status", [
            "states": stateRows, "tasks": taskRows,
            "statesChart": BarChart(title: "Trees by state", bars: TreeState.allCases.map { ($0.rawValue.replacingOccurrences(of: "_", with: " "), states[$0] ?? 0) }).values,
            "openFlags": queues.openFlags, "openTasks": queues.openTasks, "users": queues.users, "bannedUsers": queues.bannedUsers,
            "journalToday": queues.journalRowsToday,
            "settings": Self.settings(desk.config), "nav_admin": true,
        ], context: context, section: "moderation").response
    }

    /// Every setting of the tree manager by name, read by reflection so a new setting shows up here by itself.
    static func settings(_ config: TreeManagerConfiguration) -> [[String: Any]] {
        Mirror(reflecting: config).children.compactMap { child in
            guard let label = child.label else { return nil }
            return ["name": label, "value": String(describing: child.value)]
        }
    }
}
