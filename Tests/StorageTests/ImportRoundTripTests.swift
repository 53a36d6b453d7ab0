import Foundation
import PostgresNIO
import Storage
import TestSupport
import Testing

@Suite("Import and export round trips")
struct ImportRoundTripTests {
    /// The shared sample: 100 English trees from Open Assistant's repository, next to the project.
    static func sampleFile() throws -> String {
        let path = TestServer.sharedData("oasst/en_100_tree.jsonl")
        try #require(FileManager.default.fileExists(atPath: path), "the shared sample \(path) is missing")
        return path
    }

    static var everything: ExportOptions {
        var options = ExportOptions()
        options.state = nil
        options.includeSynthetic = true
        return options
    }

    @Test("the sample file comes back field for field")
    func roundTrip() async throws {
        let path = try Self.sampleFile()
        try await TestServer.withDatabase { database in
            let summary = try await TreeImporter(database: database).importFile(at: path)
            #expect(summary.treesImported == 100 && summary.messagesImported == 1167)
            let lines = CollectedLines()
            let exported = try await TreeExporter(database: database).export(Self.everything, to: lines)
            #expect(exported.trees == 100 && exported.messages == 1167)
            try expectSameTrees(lines.lines, try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init))
        }
    }

    @Test("importing twice adds nothing")
    func idempotent() async throws {
        let path = try Self.sampleFile()
        try await TestServer.withDatabase { database in
            let importer = TreeImporter(database: database, batchSize: 300)
            _ = try await importer.importFile(at: path)
            let before = try await tableCounts(database)
            let again = try await importer.importFile(at: path)
            #expect(again.treesRead == 100 && again.messagesRead == 1167)
            #expect(again.treesImported == 0 && again.messagesImported == 0 && again.usersCreated == 0)
            #expect(try await tableCounts(database) == before)
            #expect(before == [100, 1167])
        }
    }

    @Test("a broken line stops the import there; the trees before it are kept, nothing of its tree")
    func brokenLine() async throws {
        let lines = try String(contentsOfFile: try Self.sampleFile(), encoding: .utf8).split(separator: "\n").map(String.init)
        var broken = Array(lines.prefix(6))
        broken[3] = String(broken[3].prefix(broken[3].count / 2))
        let brokenRoot = try #require(messageIDs(lines[3]).first)
        let file = try temporaryFile(broken.joined(separator: "\n") + "\n")
        try await TestServer.withDatabase { database in
            do {
                _ = try await TreeImporter(database: database).importFile(at: file)
                Issue.record("the import should fail")
            } catch let error as ImportError {
                #expect(error.line == 4)
                #expect(error.description.hasPrefix("line 4: "))
            }
            #expect(try await tableCounts(database)[0] == 3)
            let root = try #require(UUID(uuidString: brokenRoot))
            let stored = try await database.withConnection { connection in
                var count = 0
                for try await value in try await connection.query(
                    "SELECT count(*)::int FROM messages WHERE tree_id = \(root)", logger: database.logger
                ).decode(Int.self) { count = value }
                return count
            }
            #expect(stored == 0)
        }
    }

    @Test("a tree the database refuses is named by its line, the others in its batch are kept")
    func refusedTree() async throws {
        let lines = try String(contentsOfFile: try Self.sampleFile(), encoding: .utf8).split(separator: "\n").map(String.init)
        var bad = Array(lines.prefix(4))
        bad[2] = bad[2].replacingOccurrences(of: "\"role\": \"assistant\"", with: "\"role\": \"assistant\", \"created_date\": \"not a date\"")
        let file = try temporaryFile(bad.joined(separator: "\n"))
        try await TestServer.withDatabase { database in
            await #expect(throws: ImportError.self) { try await TreeImporter(database: database).importFile(at: file) }
            do { _ = try await TreeImporter(database: database).importFile(at: file) } catch let error as ImportError { #expect(error.line == 3) }
            #expect(try await tableCounts(database)[0] == 2)
        }
    }

    @Test("flat gzip export imports into another database as the same trees")
    func flatGzipRoundTrip() async throws {
        let path = try Self.sampleFile()
        let gz = FileManager.default.temporaryDirectory.appendingPathComponent("oasst-flat-\(UUID().uuidString).jsonl.gz").path
        try await TestServer.withDatabase { database in
            _ = try await TreeImporter(database: database).importFile(at: path)
            var options = Self.everything
            options.format = .flat
            let summary = try await TreeExporter(database: database).export(options, to: try FileLineOutput(path: gz))
            #expect(summary.messages == 1167 && summary.lines == 1167)
        }
        let magic = try #require(FileHandle(forReadingAtPath: gz)).read(upToCount: 2)
        #expect(magic == Data([0x1F, 0x8B]))
        try await TestServer.withDatabase { database in
            let summary = try await TreeImporter(database: database).importFile(at: gz)
            #expect(summary.treesImported == 100 && summary.messagesImported == 1167)
            let lines = CollectedLines()
            _ = try await TreeExporter(database: database).export(Self.everything, to: lines)
            try expectSameTrees(lines.lines, try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init))
        }
    }

    @Test("an anonymised export hides every id, the tree id too")
    func anonymised() async throws {
        try await TestServer.withDatabase { database in
            _ = try await TreeImporter(database: database).importFile(at: try Self.sampleFile())
            var options = Self.everything
            options.anonymizerSeed = "salt"
            let lines = CollectedLines()
            _ = try await TreeExporter(database: database).export(options, to: lines)
            let first = try #require(lines.lines.first)
            let tree = try #require(try JSONSerialization.jsonObject(with: Data(first.utf8)) as? [String: Any])
            let treeID = try #require(tree["message_tree_id"] as? String)
            let prompt = try #require(tree["prompt"] as? [String: Any])
            #expect(treeID.count == 64 && UUID(uuidString: treeID) == nil)
            #expect((prompt["message_id"] as? String)?.count == 64)
            #expect(Anonymizer(seed: "salt").anonymize(UUID(uuidString: "054e1df3-35e0-4bb8-a585-607dbdcd24e0")!, as: .messageTree)
                    == Anonymizer(seed: "salt").anonymize(UUID(uuidString: "054E1DF3-35E0-4BB8-A585-607DBDCD24E0")!, as: .messageTree))
            #expect(!lines.lines.joined().contains("054e1df3-35e0-4bb8-a585-607dbdcd24e0"))
        }
    }
}

// MARK: - Helpers

/// Trees and messages per table: [trees, messages].
func tableCounts(_ database: Database) async throws -> [Int] {
    try await database.withConnection { connection in
        var counts: [Int] = []
        for table in ["message_trees", "messages"] {
            let rows = try await connection.query(PostgresQuery(unsafeSQL: "SELECT count(*)::int FROM \(table)"), logger: database.logger)
            for try await count in rows.decode(Int.self) { counts.append(count) }
        }
        return counts
    }
}

func temporaryFile(_ text: String) throws -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("oasst-\(UUID().uuidString).jsonl").path
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return path
}

func messageIDs(_ line: String) throws -> [String] {
    let tree = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    return flatten(tree["prompt"] as! [String: Any]).map { $0.key }
}

/// Every message of a tree by id, with the fields a round trip must keep and its replies as a set.
func flatten(_ node: [String: Any]) -> [String: String] {
    var out: [String: String] = [:]
    let kept = ["message_id", "parent_id", "text", "role", "lang", "review_count", "review_result", "deleted", "rank",
                "synthetic", "model_name", "emojis"]
    var fields = node.filter { kept.contains($0.key) }
    // An empty emoji map says nothing: the database keeps `{}` for "no emojis" and the export omits it.
    if let emojis = fields["emojis"] as? [String: Any], emojis.isEmpty { fields["emojis"] = nil }
    let replies = (node["replies"] as? [[String: Any]]) ?? []
    fields["replies"] = replies.compactMap { $0["message_id"] as? String }.sorted()
    let data = try! JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys])
    out[node["message_id"] as! String] = String(decoding: data, as: UTF8.self)
    for reply in replies { out.merge(flatten(reply)) { a, _ in a } }
    return out
}

func expectSameTrees(_ exported: [String], _ original: [String]) throws {
    func index(_ lines: [String]) throws -> [String: [String: String]] {
        var trees: [String: [String: String]] = [:]
        for line in lines where !line.isEmpty {
            let tree = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            var messages = flatten(try #require(tree["prompt"] as? [String: Any]))
            messages["tree_state"] = tree["tree_state"] as? String
            trees[try #require(tree["message_tree_id"] as? String)] = messages
        }
        return trees
    }
    let got = try index(exported), want = try index(original)
    #expect(got.count == want.count)
    for (id, messages) in want {
        guard let mine = got[id] else { Issue.record("tree \(id) missing"); continue }
        for (messageID, fields) in messages where mine[messageID] != fields {
            Issue.record("tree \(id), \(messageID): exported \(mine[messageID] ?? "nothing"), expected \(fields)")
        }
        #expect(mine.count == messages.count)
    }
}
