import ArgumentParser
import Foundation
import Logging
import Storage

/// `oasst bench dataset`: import and export throughput on the shared oasst file repeated (with fresh ids) to
/// each size, and the peak memory of each phase, so that a flat memory line can be seen as the file grows.
struct DatasetBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dataset",
        abstract: "Import and export messages per second, and their peak memory, at growing file sizes."
    )

    @Option(help: "The oasst trees file to repeat (default: en_100_tree.jsonl of the shared data).") var file: String?
    @Option(help: "Comma-separated file sizes in messages.") var sizes = "25000,100000"
    @Flag(help: "Print one JSON object instead of a table.") var json = false

    struct Run: Codable {
        var messages: Int
        var importCPU: CPUMeter.Reading
        var importPeakRSSMiB: Double
        /// The search indexer working through the imported messages afterwards (the server does it in the background).
        var indexCPU: CPUMeter.Reading
        var exportCPU: CPUMeter.Reading
        var exportPeakRSSMiB: Double
        var importPerSecond: Double { Double(messages) / importCPU.seconds }
        var exportPerSecond: Double { Double(messages) / exportCPU.seconds }
        var indexPerSecond: Double { Double(messages) / indexCPU.seconds }
    }

    func run() async throws {
        let source = file ?? Self.sharedFile()
        guard let lines = Self.treeLines(source) else { throw Console.Failure("cannot read \(source)") }
        let targets = sizes.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !targets.isEmpty, targets.allSatisfy({ $0 > 0 }) else { throw Console.Failure("--sizes expects message counts such as 25000,100000") }
        var logger = Logger(label: "oasst.bench")
        logger.logLevel = .error
        let configuration = try Console.configuration()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("oasst-dataset-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }

        var runs: [Run] = []
        for target in targets {
            let input = folder.appendingPathComponent("in-\(target).jsonl").path
            let messages = try Self.writeRepeated(lines, toAtLeast: target, path: input)
            let run = try await TemporaryDatabase.with(
                server: configuration.databaseURL, migrationsFolder: configuration.resourceRoot.appendingPathComponent("migrations"), logger: logger
            ) { database in
                PeakMemory.reset()
                let importMeter = try await CPUMeter.start(database)
                let imported = try await TreeImporter(database: database).importFile(at: input)
                let importCPU = try await importMeter.stop(database)
                let importPeak = PeakMemory.mebibytes()
                guard imported.messagesImported == messages else {
                    throw Console.Failure("imported \(imported.messagesImported) of \(messages) messages")
                }
                let indexMeter = try await CPUMeter.start(database)
                let indexed = try await SearchIndex(database: database).catchUp()
                let indexCPU = try await indexMeter.stop(database)
                guard indexed == messages else { throw Console.Failure("indexed \(indexed) of \(messages) messages for search") }
                var options = ExportOptions()
                options.state = nil
                options.includeSynthetic = true
                options.includeSpam = true
                options.includeDeleted = true
                PeakMemory.reset()
                let exportMeter = try await CPUMeter.start(database)
                let exported = try await TreeExporter(database: database).export(options, to: try FileLineOutput(path: folder.appendingPathComponent("out.jsonl").path))
                let exportCPU = try await exportMeter.stop(database)
                guard exported.messages == messages else { throw Console.Failure("exported \(exported.messages) of \(messages) messages") }
                return Run(messages: messages, importCPU: importCPU, importPeakRSSMiB: importPeak, indexCPU: indexCPU,
                           exportCPU: exportCPU, exportPeakRSSMiB: PeakMemory.mebibytes())
            }
            try? FileManager.default.removeItem(atPath: input)
            runs.append(run)
        }
        if json {
            let rows = runs.map { run -> [String: Double] in
                ["messages": Double(run.messages), "import_msg_s": run.importPerSecond, "search_index_msg_s": run.indexPerSecond, "search_index_db_cpu_s": run.indexCPU.databaseCPU, "import_peak_rss_mib": run.importPeakRSSMiB,
                 "export_msg_s": run.exportPerSecond, "export_peak_rss_mib": run.exportPeakRSSMiB,
                 "import_cpu_s": run.importCPU.ownCPU, "import_db_cpu_s": run.importCPU.databaseCPU, "import_other_cores": run.importCPU.otherCores,
                 "export_cpu_s": run.exportCPU.ownCPU, "export_db_cpu_s": run.exportCPU.databaseCPU, "export_other_cores": run.exportCPU.otherCores]
            }
            print(String(decoding: try JSONSerialization.data(withJSONObject: ["runs": rows], options: [.sortedKeys]), as: UTF8.self))
        } else {
            print("| messages | import msg/s | search index msg/s | import peak RSS MiB | export msg/s | export peak RSS MiB | import CPU s (oasst / db) | export CPU s (oasst / db) | other load, cores (import / export) |")
            print("|---------:|------------:|-------------------:|--------------------:|-------------:|--------------------:|--------------------------:|--------------------------:|------------------------------------:|")
            for run in runs {
                let cpu = [String(format: "%.1f / %.1f", run.importCPU.ownCPU, run.importCPU.databaseCPU),
                           String(format: "%.1f / %.1f", run.exportCPU.ownCPU, run.exportCPU.databaseCPU),
                           String(format: "%.2f / %.2f", run.importCPU.otherCores, run.exportCPU.otherCores)]
                let widths = [25, 25, 35]
                let cells = zip(cpu, widths).map { String(repeating: " ", count: max(0, $1 - $0.count)) + $0 }
                print(String(format: "| %8d | %11.0f | %18.0f | %19.1f | %12.0f | %19.1f | ", run.messages, run.importPerSecond, run.indexPerSecond, run.importPeakRSSMiB,
                             run.exportPerSecond, run.exportPeakRSSMiB) + cells.joined(separator: " | ") + " |")
            }
            print("targets: import >= 20,000 msg/s, export >= 50,000 msg/s, peak memory flat as the file grows")
            print("search index: the moderators' search vectors of the imported messages, which the server writes in the background after an import")
            print("db: the database's server processes for this run; other load: every other process on the machine, on average")
        }
    }

    static func sharedFile() -> String {
        let env = ProcessInfo.processInfo.environment["OASST_SHARED_DATA"].flatMap { $0.isEmpty ? nil : $0 }
        let roots = [env, "../shared/data", "/work/shared/data"].compactMap { $0 }
        let paths = roots.map { "\($0)/oasst/en_100_tree.jsonl" }
        return paths.first { FileManager.default.fileExists(atPath: $0) } ?? paths[0]
    }

    /// The file's non-empty lines, as bytes.
    static func treeLines(_ path: String) -> [[UInt8]]? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return data.split(separator: 0x0A).map(Array.init).filter { !$0.isEmpty }
    }

    /// Writes the lines again and again, each round with fresh ids, until the file holds `target` messages; the count.
    static func writeRepeated(_ lines: [[UInt8]], toAtLeast target: Int, path: String) throws -> Int {
        FileManager.default.createFile(atPath: path, contents: nil)
        guard let handle = FileHandle(forWritingAtPath: path) else { throw Console.Failure("cannot write \(path)") }
        defer { try? handle.close() }
        let messageKey = Array("\"message_id\"".utf8)
        let perRound = lines.reduce(0) { $0 + occurrences(of: messageKey, in: $1) }
        guard perRound > 0 else { throw Console.Failure("the file holds no messages") }
        var written = 0
        var round: UInt32 = 0
        while written < target {
            round += 1
            var chunk: [UInt8] = []
            for line in lines {
                chunk += freshIDs(line, round: round)
                chunk.append(0x0A)
            }
            try handle.write(contentsOf: chunk)
            written += perRound
        }
        return written
    }

    static func occurrences(of needle: [UInt8], in haystack: [UInt8]) -> Int {
        guard haystack.count >= needle.count else { return 0 }
        var count = 0
        for start in 0...(haystack.count - needle.count) where haystack[start] == needle[0] {
            if haystack[start..<(start + needle.count)].elementsEqual(needle) { count += 1 }
        }
        return count
    }

    /// Every UUID in the line gets the round number as its first eight hex digits: the same id maps to the
    /// same new id within a round (parents and trees stay linked), and rounds never collide.
    static func freshIDs(_ line: [UInt8], round: UInt32) -> [UInt8] {
        var out = line
        let prefix = Array(String(format: "%08x", round).utf8)
        var index = 0
        while index + 36 <= out.count {
            if isUUID(out, at: index) {
                out.replaceSubrange(index..<(index + 8), with: prefix)
                index += 36
            } else {
                index += 1
            }
        }
        return out
    }

    private static func isUUID(_ bytes: [UInt8], at start: Int) -> Bool {
        for offset in 0..<36 {
            let byte = bytes[start + offset]
            if [8, 13, 18, 23].contains(offset) {
                if byte != 0x2D { return false }
            } else if !((0x30...0x39).contains(byte) || (0x61...0x66).contains(byte) || (0x41...0x46).contains(byte)) {
                return false
            }
        }
        return true
    }
}

/// The process's peak resident memory (Linux: VmHWM), which can be reset between phases.
enum PeakMemory {
    static func reset() {
        // Writing 5 to clear_refs resets the peak to the current resident size.
        guard let handle = FileHandle(forWritingAtPath: "/proc/self/clear_refs") else { return }
        try? handle.write(contentsOf: Data("5".utf8))
        try? handle.close()
    }

    static func mebibytes() -> Double {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
              let kib = Double(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
        else { return 0 }
        return kib / 1024
    }
}
