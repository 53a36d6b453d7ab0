import ArgumentParser
import AsyncHTTPClient
import Foundation
import Hummingbird
import Logging
import NIOCore
import Storage
import Web

/// `oasst bench leaderboard`: the leaderboard page over HTTP at N concurrent clients, on a database of its
/// own with 100,000 contributors and 1,000,000 journal rows. Half the requests are the first page of a
/// random time frame, signed out; the other half are signed in as a random contributor asking for a random
/// page, which adds the reader's rank and neighbours.
struct LeaderboardBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "leaderboard",
        abstract: "Requests per second and latency of the leaderboard page at N concurrent clients."
    )

    @Option(help: "Concurrent clients.") var users = 32
    @Option(help: "Seconds of load after warm-up.") var seconds = 20
    @Option(help: "Seconds of unmeasured load first.") var warmUp = 5
    @Option(help: "Contributors to load.") var contributors = 100_000
    @Option(help: "Journal rows to load.") var journalRows = 1_000_000
    @Flag(help: "Load from a client inside this process instead of wrk.") var inProcessClient = false

    func run() async throws {
        var logger = Logger(label: "oasst.bench")
        logger.logLevel = .error
        let configuration = try Console.configuration()
        try await TemporaryDatabase.with(server: configuration.databaseURL, migrationsFolder: configuration.resourceRoot.appendingPathComponent("migrations"), logger: logger) { database in
            let started = ContinuousClock.now
            try await LeaderboardBenchmarkData.load(users: contributors, journalRows: journalRows, into: database)
            let counts = try await LeaderboardBenchmarkData.counts(in: database)
            print("loaded \(counts.users) users and \(counts.journal) journal rows (\(counts.listed) on the board) in \(started.duration(to: .now))")
            let refreshStarted = ContinuousClock.now
            try await ScoreBook(database: database).refreshWindows()
            print("refresh of the day, week and month boards: \(refreshStarted.duration(to: .now))")
            let rankStarted = ContinuousClock.now
            try await ScoreBook(database: database).refreshRanks()
            print("ranking of the four boards: \(rankStarted.duration(to: .now))")
            let rerankStarted = ContinuousClock.now
            try await ScoreBook(database: database).refreshRanks()
            print("ranking again with nothing changed: \(rerankStarted.duration(to: .now))")

            let sessions = SessionStore(database: database)
            var people: [(cookie: String, csrf: String, id: UUID)] = []
            for id in try await LeaderboardBenchmarkData.sampleUsers(users, in: database) {
                let session = try await sessions.create(userID: id, userAgent: "bench", ip: "127.0.0.1")
                people.append((session.cookie, session.csrfToken, id))
            }

            var server = configuration
            server.host = "127.0.0.1"
            server.port = Int.random(in: 20_000..<40_000)
            server.databaseURL = database.url
            let app = try await WebApplication.build(configuration: server, database: database, logger: logger, runsDatabaseClient: false)
            let base = "http://127.0.0.1:\(server.port)"
            try await BenchServer.serving(app, logger: logger) {
                if let wrk = WrkLoad.executable, !inProcessClient {
                    print("load: wrk, \(users / 2) connections signed out and \(users - users / 2) signed in, \(seconds) s after \(warmUp) s of warm-up")
                    // The first seconds render every page and reader's place once; they are load, not measurement.
                    if warmUp > 0 { _ = try await WrkLoad.run(wrk, base: base, seconds: warmUp, mixes: wrkMixes(people: people)) }
                    LoadFigures.printTable(try await WrkLoad.run(wrk, base: base, seconds: seconds, mixes: wrkMixes(people: people)))
                } else {
                    print("load: in-process client, \(users) clients, \(seconds) s")
                    try await run(base: base, people: people).print()
                }
            }
        }
    }

    /// The same two kinds of request as the in-process client, each from its own wrk process.
    private func wrkMixes(people: [(cookie: String, csrf: String, id: UUID)]) -> [WrkLoad.Mix] {
        let frames = "local frames = {\"day\", \"week\", \"month\", \"total\"}"
        return [
            WrkLoad.Mix(name: "page 1", connections: users / 2, setup: frames, requestBody: """
                  return wrk.format("GET", "/leaderboard?frame=" .. frames[math.random(4)])
                """),
            WrkLoad.Mix(name: "signed in", connections: users - users / 2, setup: frames + "\nlocal cookies = " + WrkLoad.luaList(people.map(\.cookie)), requestBody: """
                  local cookie = cookies[math.random(#cookies)]
                  return wrk.format("GET", "/leaderboard?frame=" .. frames[math.random(4)] .. "&page=" .. math.random(40),
                                    {["Cookie"] = "oasst_session=" .. cookie})
                """),
        ]
    }

    private func run(base: String, people: [(cookie: String, csrf: String, id: UUID)]) async throws -> Load.Report {
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(redirectConfiguration: .disallow))
        let tally = Load.Tally()
        let deadline = ContinuousClock.now + .seconds(seconds)
        let frames = ["day", "week", "month", "total"]
        let anonymous = (cookie: "", csrf: "", id: UUID())
        await withTaskGroup(of: Void.self) { group in
            for person in people {
                group.addTask {
                    while ContinuousClock.now < deadline {
                        do {
                            let frame = frames.randomElement()!
                            _ = try await Load.timed("page 1", tally) {
                                try await Load.send(client, "\(base)/leaderboard?frame=\(frame)", person: anonymous, form: nil)
                            }
                            _ = try await Load.timed("signed in", tally) {
                                try await Load.send(client, "\(base)/leaderboard?frame=\(frames.randomElement()!)&page=\(Int.random(in: 1...40))",
                                                    person: person, form: nil)
                            }
                        } catch {
                            tally.record("error", 0, ok: false)
                        }
                    }
                }
            }
        }
        try await client.shutdown()
        let (samples, failures) = tally.snapshot
        return Load.Report(samples: samples, failures: failures, seconds: Double(seconds))
    }
}
