import Foundation

/// One pace of a task load: how long each contributor paused, and what every kind of request measured.
struct PaceFigures {
    var pauseMilliseconds: Int
    var requests: [LoadFigures]

    var perSecond: Double { requests.map(\.perSecond).reduce(0, +) }
    /// The slowest kind's p99: the latency every kind of request stays under for 99 in 100.
    var worstP99: Double { requests.map(\.p99Milliseconds).max() ?? 0 }
    /// Refused "next task" requests: a pace where contributors are mostly refused measures the refusals.
    var nextTaskRefusals: Double {
        guard let next = requests.first(where: { $0.name == "next task" }), next.requests > 0 else { return 0 }
        return Double(next.errors) / Double(next.requests)
    }

    /// A line per pace, then the busiest pace whose every kind of request kept its p99 under the target.
    static func printSummary(_ paces: [PaceFigures], users: Int, targetP99: Double) {
        print("pace (\(users) contributors)    req/s in all   worst p99 ms   next task refused")
        for pace in paces.sorted(by: { $0.perSecond < $1.perSecond }) {
            let name = pace.pauseMilliseconds == 0 ? "no pause" : "\(pace.pauseMilliseconds) ms pause"
            print(name.padding(toLength: 28, withPad: " ", startingAt: 0)
                  + String(format: "%15.1f %14.2f %18.1f%%", pace.perSecond, pace.worstP99, pace.nextTaskRefusals * 100))
        }
        let measured = paces.filter { $0.nextTaskRefusals <= 0.01 }
        if let best = measured.filter({ $0.worstP99 < targetP99 }).max(by: { $0.perSecond < $1.perSecond }) {
            print(String(format: "p99 under %.0f ms for every request up to %.1f req/s in all (%d ms pause)", targetP99, best.perSecond, best.pauseMilliseconds))
        } else {
            print(String(format: "p99 under %.0f ms at none of these paces", targetP99))
        }
    }
}
