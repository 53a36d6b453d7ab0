import Foundation

/// Load from wrk, an HTTP load generator written in C, run as separate processes.
///
/// On a two-core machine an in-process client spends about as much CPU per request as the server does, so
/// the figures it reports are as much the client's as the server's. wrk costs a small fraction of that.
/// Each mix runs in its own wrk process with its own connections, all at once, and reports its own counts and
/// latency percentiles through a `done` hook that prints one JSON line.
enum WrkLoad {
    /// One wrk process. Its Lua script either has a `request()` body and is measured as one kind of request,
    /// or is a whole script (`threads` connections, one per thread) whose own `done` prints a `WRK {json}` line
    /// per kind of request with its `name`.
    struct Mix {
        var name: String
        var connections: Int
        var setup: String = ""
        var requestBody: String = ""
        var wholeScript: String? = nil
    }

    enum Failure: Error, CustomStringConvertible {
        case failed(String, status: Int32, output: String)
        var description: String {
            switch self {
            case .failed(let name, let status, let output): "wrk for \(name) exited with \(status): \(output.suffix(400))"
            }
        }
    }

    /// The wrk executable on PATH, if any (`scripts/bench` installs Debian's package).
    static var executable: String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/wrk" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    static func run(_ wrk: String, base: String, seconds: Int, mixes: [Mix]) async throws -> [LoadFigures] {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("oasst-wrk-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        return try await withThrowingTaskGroup(of: (Int, [LoadFigures]).self) { group in
            for (index, mix) in mixes.enumerated() {
                let script = folder.appendingPathComponent("mix\(index).lua")
                try luaScript(mix).write(to: script, atomically: true, encoding: .utf8)
                let threads = mix.wholeScript == nil ? 1 : mix.connections
                group.addTask {
                    let output = try await launch(wrk, ["-t\(threads)", "-c\(mix.connections)", "-d\(seconds)s", "--timeout", "30s", "-s", script.path, base])
                    return (index, try parse(output, mix: mix))
                }
            }
            var results: [(Int, [LoadFigures])] = []
            for try await result in group { results.append(result) }
            return results.sorted { $0.0 < $1.0 }.flatMap(\.1)
        }
    }

    private static func luaScript(_ mix: Mix) -> String {
        if let whole = mix.wholeScript { return whole }
        return """
        \(mix.setup)
        request = function()
        \(mix.requestBody)
        end
        done = function(summary, latency, requests)
          local e = summary.errors
          io.write(string.format('\\nWRK {"name":"\(mix.name)","requests":%d,"errors":%d,"p50":%f,"p99":%f,"micros":%d}\\n',
            summary.requests, e.connect + e.read + e.write + e.status + e.timeout,
            latency:percentile(50) / 1000, latency:percentile(99) / 1000, summary.duration))
        end
        """
    }

    private static func parse(_ output: String, mix: Mix) throws -> [LoadFigures] {
        // A script's remarks on what it saw (lines starting with "NOTE ") go to the report as they are.
        for line in output.split(separator: "\n") where line.hasPrefix("NOTE ") { Swift.print("\(mix.name): \(line.dropFirst(5))") }
        let results = output.split(separator: "\n").filter { $0.hasPrefix("WRK ") }.compactMap { line -> LoadFigures? in
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.dropFirst(4).utf8)) as? [String: Any],
                  let name = object["name"] as? String, let requests = object["requests"] as? Int, let errors = object["errors"] as? Int,
                  let p50 = object["p50"] as? Double, let p99 = object["p99"] as? Double, let micros = object["micros"] as? Int
            else { return nil }
            return LoadFigures(name: name, requests: requests, errors: errors, p50Milliseconds: p50, p99Milliseconds: p99,
                          seconds: Double(micros) / 1_000_000)
        }
        guard !results.isEmpty else { throw Failure.failed(mix.name, status: 0, output: output) }
        return results
    }

    private static func launch(_ executable: String, _ arguments: [String]) async throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        // Blocking reads and waits stay off Swift's cooperative threads: the server being measured runs there.
        let (status, output): (Int32, Data) = await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                let output = pipe.fileHandleForReading.readDataToEndOfFile()
                process.waitUntilExit()
                continuation.resume(returning: (process.terminationStatus, output))
            }
        }
        let text = String(decoding: output, as: UTF8.self)
        guard status == 0 else { throw Failure.failed(arguments.last ?? "", status: status, output: text) }
        return text
    }

    /// A Lua list literal of strings made of characters that need no escaping (cookies, ids).
    static func luaList(_ values: [String]) -> String {
        "{" + values.map { "\"\($0.filter { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })\"" }.joined(separator: ",") + "}"
    }
}
