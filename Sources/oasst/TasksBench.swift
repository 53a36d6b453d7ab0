import ArgumentParser
import AsyncHTTPClient
import Foundation
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1
import Storage
import Web

/// `oasst bench tasks`: a load generator against the task endpoints, over HTTP, on a database of its
/// own filled with thousands of trees. Each virtual user signs in once (a session made directly),
/// then loops: ask for the next task, open it, submit an answer.
struct TasksBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tasks",
        abstract: "Requests per second and latency of next-task and submit at N concurrent users."
    )

    @Option(help: "Concurrent users.") var users = 32
    @Option(help: "Seconds of load after warm-up.") var seconds = 20
    @Option(help: "Seconds of unmeasured load first.") var warmUp = 3
    @Option(help: "Trees to load.") var trees = 10_000
    @Option(parsing: .upToNextOption, help: "Milliseconds each contributor pauses between requests, as a person reads and writes (0: none, every connection always busy). Several values run one after another, each on freshly loaded trees.")
    var pause: [Int] = [0]
    @Option(help: "The p99 latency target in milliseconds, for the summary of several paces.") var targetP99 = 25.0
    @Flag(help: "Print the query plans of a task request.") var plans = false
    @Flag(help: "Load from a client inside this process instead of wrk.") var inProcessClient = false

    func run() async throws {
        var logger = Logger(label: "oasst.bench")
        logger.logLevel = .error
        let configuration = try Console.configuration()
        let wrk = inProcessClient ? nil : WrkLoad.executable
        guard wrk != nil || pause == [0] else { throw Console.Failure("--pause needs wrk") }
        var paces: [PaceFigures] = []
        for (index, pause) in self.pause.enumerated() {
            // Every pace starts from freshly loaded trees: a pace uses up the work of the trees in play (and
            // the tasks left open when wrk stops hold their messages for five minutes), so a later pace on the
            // same trees would measure "nothing for you right now".
            try await TemporaryDatabase.with(server: configuration.databaseURL, migrationsFolder: configuration.resourceRoot.appendingPathComponent("migrations"), logger: logger) { database in
                let figures = try await measure(pause: pause, wrk: wrk, showPlans: plans && index == 0, database: database, configuration: configuration, logger: logger)
                if let figures { paces.append(PaceFigures(pauseMilliseconds: pause, requests: figures)) }
            }
        }
        if paces.count > 1 { PaceFigures.printSummary(paces, users: users, targetP99: targetP99) }
    }

    /// Loads the trees and the contributors into `database`, serves it, and runs one pace of load against it.
    private func measure(
        pause: Int, wrk: String?, showPlans: Bool, database: Database, configuration: ServerConfiguration, logger: Logger
    ) async throws -> [LoadFigures]? {
        var shape = BenchmarkData.Shape()
        shape.trees = trees
        let started = ContinuousClock.now
        try await BenchmarkData.load(shape, into: database)
        let counts = try await BenchmarkData.counts(in: database)
        print("loaded \(counts.trees) trees and \(counts.messages) messages in \(started.duration(to: .now))")

        let userStore = UserStore(database: database)
        let sessionStore = SessionStore(database: database)
        var people: [(cookie: String, csrf: String, id: UUID)] = []
        for index in 0..<users {
            let user = try await userStore.findOrCreate(email: "bench\(index)@bench.example")
            try await userStore.completeProfile(id: user.id, displayName: "Bench \(index)", acceptTerms: true)
            let session = try await sessionStore.create(userID: user.id, userAgent: "bench", ip: "127.0.0.1")
            people.append((session.cookie, session.csrfToken, user.id))
        }
        var server = configuration
        server.host = "127.0.0.1"
        server.port = Int.random(in: 20_000..<40_000)
        server.databaseURL = database.url
        // The limiter still counts every request; it just never says no, so the load measures the work.
        server.taskRequestsPerFourMinutes = 1_000_000
        let app = try await WebApplication.build(configuration: server, database: database, logger: logger, runsDatabaseClient: false)
        let base = "http://127.0.0.1:\(server.port)"
        let figures: [LoadFigures]? = try await BenchServer.serving(app, logger: logger) {
            guard let wrk else {
                print("load: in-process client, \(users) contributors, \(seconds) s")
                try await Load.run(base: base, people: people, seconds: seconds).print()
                return nil
            }
            let flow = try String(contentsOf: configuration.resourceRoot.appendingPathComponent("scripts/bench-load/tasks.lua"), encoding: .utf8)
            let pacing = pause > 0 ? "\(pause) ms pause before each request" : "no pause between requests"
            print("load: wrk, \(users) contributors, one connection each, \(pacing), \(seconds) s after \(warmUp) s of warm-up")
            let script = "cookies = \(WrkLoad.luaList(people.map(\.cookie)))\ncsrfs = \(WrkLoad.luaList(people.map(\.csrf)))\npause_ms = \(max(0, pause))\n" + flow
            let mix = WrkLoad.Mix(name: "tasks", connections: users, wholeScript: script)
            if warmUp > 0 { _ = try await WrkLoad.run(wrk, base: base, seconds: warmUp, mixes: [mix]) }
            let figures = try await WrkLoad.run(wrk, base: base, seconds: seconds, mixes: [mix])
            LoadFigures.printTable(figures)
            print("")
            return figures
        }
        if showPlans {
            // After the load, when the tables hold a contributor's tasks, labels and rankings: planned on the empty
            // tables of a fresh load, any scan looks as cheap as an index.
            try await BenchmarkData.analyze(database)
            for (name, plan) in try await BenchmarkData.queryPlans(in: database, userID: people[0].id) {
                print("-- \(name)\n\(plan)\n")
            }
        }
        return figures
    }
}

/// The load generator and its latency tally.
enum Load {
    final class Tally: @unchecked Sendable {
        private let lock = NSLock()
        private var samples: [String: [Double]] = [:]
        private var failures: [String: Int] = [:]

        func record(_ name: String, _ milliseconds: Double, ok: Bool) {
            lock.lock(); defer { lock.unlock() }
            if ok { samples[name, default: []].append(milliseconds) } else { failures[name, default: 0] += 1 }
        }

        var snapshot: ([String: [Double]], [String: Int]) {
            lock.lock(); defer { lock.unlock() }
            return (samples, failures)
        }
    }

    struct Report {
        let samples: [String: [Double]]
        let failures: [String: Int]
        let seconds: Double

        func print() {
            let names = Set(samples.keys).union(failures.keys).sorted()
            LoadFigures.printTable(names.map { LoadFigures(name: $0, latencies: samples[$0] ?? [], errors: failures[$0] ?? 0, seconds: seconds) })
        }
    }

    static func run(base: String, people: [(cookie: String, csrf: String, id: UUID)], seconds: Int) async throws -> Report {
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(redirectConfiguration: .disallow))
        let tally = Tally()
        let deadline = ContinuousClock.now + .seconds(seconds)
        await withTaskGroup(of: Void.self) { group in
            for person in people {
                group.addTask {
                    while ContinuousClock.now < deadline {
                        do { try await cycle(client: client, base: base, person: person, tally: tally, until: deadline) } catch { tally.record("error", 0, ok: false) }
                    }
                }
            }
        }
        try await client.shutdown()
        let (samples, failures) = tally.snapshot
        return Report(samples: samples, failures: failures, seconds: Double(seconds))
    }

    /// One task: next, open, submit.
    static func cycle(client: HTTPClient, base: String, person: (cookie: String, csrf: String, id: UUID), tally: Tally, until deadline: ContinuousClock.Instant) async throws {
        let next = try await timed("next task", tally) {
            try await send(client, base + "/tasks/new", person: person, form: ["kind": ""])
        }
        guard next.status == .seeOther, var location = next.headers.first(name: "location"), location.hasPrefix("/tasks/"), !location.contains("notice") else {
            tally.record("no task", 0, ok: false)
            try await Task.sleep(for: .milliseconds(50))
            return
        }
        // A submit hands out the next task of the same kind, as it does for a person: keep going with it.
        while let following = try await work(location, client: client, base: base, person: person, tally: tally), ContinuousClock.now < deadline {
            location = following
        }
    }

    /// Opens and answers one task; the task the submit handed out next, if any.
    static func work(_ location: String, client: HTTPClient, base: String, person: (cookie: String, csrf: String, id: UUID), tally: Tally) async throws -> String? {
        let page = try await timed("open task", tally) { try await send(client, base + location, person: person, form: nil) }
        let html = page.body
        let kind = html.components(separatedBy: "data-kind=\"").dropFirst().first?.split(separator: "\"").first.map(String.init) ?? ""
        var form: [String: String]
        switch kind {
        case "initial_prompt", "prompter_reply", "assistant_reply":
            form = ["text": "Benchmark text \(UUID().uuidString)"]
        case let rank where rank.hasPrefix("rank_"):
            form = [:]
            for (place, id) in html.components(separatedBy: "name=\"rank_").dropFirst().compactMap({ $0.split(separator: "\"").first }).enumerated() {
                form["rank_\(id)"] = String(place + 1)
            }
        default:
            form = ["label_spam": "0", "label_quality": "0.75"]
        }
        let submitted = try await timed("submit", tally) { try await send(client, base + location, person: person, form: form) }
        guard submitted.status == .seeOther, let following = submitted.headers.first(name: "location"), following.contains("done=1") else {
            if submitted.status != .seeOther { tally.record("submit refused", 0, ok: false) }
            return nil
        }
        return following
    }

    struct Answer {
        let status: HTTPResponseStatus
        let headers: HTTPHeaders
        let body: String
    }

    static func timed(_ name: String, _ tally: Tally, _ work: () async throws -> Answer) async throws -> Answer {
        let started = ContinuousClock.now
        let answer = try await work()
        let elapsed = started.duration(to: .now)
        tally.record(name, Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000, ok: answer.status.code < 500)
        return answer
    }

    static func send(_ client: HTTPClient, _ url: String, person: (cookie: String, csrf: String, id: UUID), form: [String: String]?) async throws -> Answer {
        var request = HTTPClientRequest(url: url)
        request.headers.add(name: "Cookie", value: "oasst_session=\(person.cookie)")
        if var form {
            form["csrf"] = person.csrf
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
            let body = form.map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }.joined(separator: "&")
            request.body = .bytes(ByteBuffer(string: body))
        }
        let response = try await client.execute(request, timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 4 << 20)
        return Answer(status: response.status, headers: response.headers, body: String(buffer: body))
    }
}
