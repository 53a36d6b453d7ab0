import Foundation
import Storage

/// CPU time of one benchmark phase, split into this process, the database's server processes and everything
/// else on the machine: on a shared machine the last says whether a figure was measured in quiet.
struct CPUMeter {
    struct Reading: Codable {
        var seconds: Double
        var ownCPU: Double
        var databaseCPU: Double
        /// Cores kept busy by other processes during the phase, on average.
        var otherCores: Double
    }

    private let started = ContinuousClock.now
    private let machine = Self.machineBusySeconds()
    private let own = Self.ownSeconds()
    private let backends: [Int32: Double]

    /// Starts measuring; `database`'s server processes are read now and again at the end.
    static func start(_ database: Database) async throws -> CPUMeter {
        CPUMeter(backends: Self.seconds(of: try await DatabaseBackends.processIDs(of: database)))
    }

    private init(backends: [Int32: Double]) {
        self.backends = backends
    }

    func stop(_ database: Database) async throws -> Reading {
        let seconds = started.duration(to: .now).seconds
        let backendsNow = Self.seconds(of: try await DatabaseBackends.processIDs(of: database))
        let databaseCPU = backendsNow.reduce(0) { $0 + $1.value - (backends[$1.key] ?? 0) }
        let ownCPU = Self.ownSeconds() - own
        let other = Self.machineBusySeconds() - machine - ownCPU - databaseCPU
        return Reading(seconds: seconds, ownCPU: ownCPU, databaseCPU: databaseCPU, otherCores: max(0, other) / max(seconds, 0.001))
    }

    private static let ticksPerSecond = Double(sysconf(Int32(_SC_CLK_TCK)))

    private static func ownSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    /// User and system time of each process (fields 14 and 15 of /proc/PID/stat, after the command name).
    private static func seconds(of pids: [Int32]) -> [Int32: Double] {
        var result: [Int32: Double] = [:]
        for pid in pids {
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { continue }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { continue }
            result[pid] = (user + system) / ticksPerSecond
        }
        return result
    }

    /// Time all cores spent on anything but idling, from the first line of /proc/stat.
    private static func machineBusySeconds() -> Double {
        guard let stat = try? String(contentsOfFile: "/proc/stat", encoding: .utf8),
              let line = stat.split(separator: "\n").first(where: { $0.hasPrefix("cpu ") }) else { return 0 }
        let ticks = line.split(separator: " ").dropFirst().compactMap { Double($0) }
        guard ticks.count >= 8 else { return 0 }
        // user nice system idle iowait irq softirq steal: everything but idle and iowait.
        return (ticks[0] + ticks[1] + ticks[2] + ticks[5] + ticks[6] + ticks[7]) / ticksPerSecond
    }
}

extension Duration {
    var seconds: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}
