import Feedback
import Foundation
import PostgresNIO

/// Imports an oasst file (trees or flat messages, gzip or not) into the database.
///
/// Trees are gathered into batches of about `batchSize` messages and each batch is one transaction, so a tree is
/// always stored whole. When the database refuses a batch, its trees are retried one transaction each, which
/// names the tree (and line) at fault while the trees before it stay imported. A line that does not parse stops
/// the import the same way: every earlier tree is committed, nothing of the bad line's tree is. Trees after the
/// one at fault may already be stored by then; importing the fixed file again adds only what is missing.
///
/// Up to `writers` batches are written at once while the next is read and parsed: the database does most of the
/// work of an import (every message's search vector and index entries), and this lets it use every core.
public struct TreeImporter: Sendable {
    let database: Database
    let config: TreeManagerConfiguration
    let batchSize: Int
    let writers: Int

    public init(
        database: Database, config: TreeManagerConfiguration = .default, batchSize: Int = 2_000,
        writers: Int = min(8, max(2, ProcessInfo.processInfo.activeProcessorCount))
    ) {
        self.database = database
        self.config = config
        self.batchSize = batchSize
        self.writers = max(1, writers)
    }

    public struct Summary: Sendable, Equatable, CustomStringConvertible {
        public var lines = 0
        /// Trees and messages in the file.
        public var treesRead = 0
        public var messagesRead = 0
        /// Those that were new (the rest were already in the database).
        public var treesImported = 0
        public var messagesImported = 0
        public var usersCreated = 0

        public var description: String {
            "\(lines) lines: \(treesImported) of \(treesRead) trees and \(messagesImported) of \(messagesRead) messages were new, "
                + "\(usersCreated) placeholder users created"
        }
    }

    /// `progress` is called every `progressEvery` lines with the summary so far.
    public func importFile(
        at path: String, progressEvery: Int = 10_000, progress: (Summary) -> Void = { _ in }
    ) async throws -> Summary {
        let reader = try LineReader(path: path)
        var summary = Summary()
        var pending: [ImportUnit] = []
        var pendingMessages = 0
        var flat = FlatGroup()
        var writing = BatchesInFlight(limit: writers)

        func enqueue(_ unit: ImportUnit) async throws {
            pending.append(unit)
            pendingMessages += unit.rows.count
            summary.treesRead += 1
            summary.messagesRead += unit.rows.count
            if pendingMessages >= batchSize {
                try await writing.makeRoom(into: &summary)
                writing.start(pending, importer: self)
                pending.removeAll(keepingCapacity: true)
                pendingMessages = 0
            }
        }
        func stop(line: Int, reason: String) async throws -> Never {
            try await writing.finishAll(into: &summary)
            try await flush(pending, into: &summary)
            throw ImportError.badLine(line: line, reason: reason)
        }
        func finishFlat() async throws {
            guard let group = flat.take() else { return }
            do {
                try await enqueue(try ImportUnit(flat: group.nodes, firstLine: group.firstLine, lastLine: group.lastLine))
            } catch let invalid as ImportUnit.Invalid {
                try await stop(line: group.firstLine, reason: "tree of lines \(group.firstLine)–\(group.lastLine): \(invalid.reason)")
            }
        }

        func readAll() async throws {
            while let line = try reader.next() {
                summary.lines += 1
                let number = summary.lines
                if number % progressEvery == 0 { progress(summary) }
                if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
                let record: ImportLine
                do {
                    record = try line.withUnsafeBufferPointer { try ImportLine(json: $0) }
                } catch let error as ImportLineError {
                    try await stop(line: number, reason: error.reason)
                }
                switch record {
                case .tree(let tree):
                    try await finishFlat()
                    do {
                        try await enqueue(try ImportUnit(tree: tree, line: number))
                    } catch let invalid as ImportUnit.Invalid {
                        try await stop(line: number, reason: invalid.reason)
                    }
                case .message(let node):
                    if !flat.accepts(node) { try await finishFlat() }
                    flat.add(node, line: number)
                }
            }
            try await finishFlat()
            try await writing.finishAll(into: &summary)
            try await flush(pending, into: &summary)
        }

        do {
            try await readAll()
        } catch {
            // Whatever ends the import, the batches still being written finish before it returns.
            await writing.settle()
            throw error
        }
        return summary
    }

    fileprivate func flush(_ units: [ImportUnit], into summary: inout Summary) async throws {
        guard !units.isEmpty else { return }
        do {
            add(try await insert(units), to: &summary)
        } catch {
            // Find the tree the database refused: one transaction per tree, in file order.
            for unit in units {
                do {
                    add(try await insert([unit]), to: &summary)
                } catch {
                    throw ImportError.badLine(line: unit.firstLine, reason: "the database refused the tree: \(ImportError.reason(error))")
                }
            }
        }
    }

    private func insert(_ units: [ImportUnit]) async throws -> ImportBatch.Counts {
        // Placeholder authors are committed on their own first: batches written at once often share authors,
        // and inside the batch transactions one would wait for the other's whole batch.
        let users = try await database.withConnection { connection in
            try await ImportBatch.insertAuthors(of: units, on: connection, logger: database.logger)
        }
        var counts = try await database.transaction { connection in
            try await ImportBatch.insert(units, config: config, on: connection, logger: database.logger)
        }
        counts.users = users
        return counts
    }

    private func add(_ counts: ImportBatch.Counts, to summary: inout Summary) {
        summary.treesImported += counts.trees
        summary.messagesImported += counts.messages
        summary.usersCreated += counts.users
    }
}

/// The batches being written while the importer reads on, oldest first. Their outcomes (counts, or the tree the
/// database refused) are taken in file order, so the first refused tree in the file is the one reported.
private struct BatchesInFlight {
    let limit: Int
    private var tasks: [Task<TreeImporter.Summary, Error>] = []

    init(limit: Int) {
        self.limit = limit
    }

    mutating func start(_ units: [ImportUnit], importer: TreeImporter) {
        tasks.append(Task {
            var counts = TreeImporter.Summary()
            try await importer.flush(units, into: &counts)
            return counts
        })
    }

    /// Waits for the oldest batches until another may start.
    mutating func makeRoom(into summary: inout TreeImporter.Summary) async throws {
        while tasks.count >= limit { try await finishOldest(into: &summary) }
    }

    mutating func finishAll(into summary: inout TreeImporter.Summary) async throws {
        while !tasks.isEmpty { try await finishOldest(into: &summary) }
    }

    private mutating func finishOldest(into summary: inout TreeImporter.Summary) async throws {
        let counts = try await tasks.removeFirst().value
        summary.treesImported += counts.treesImported
        summary.messagesImported += counts.messagesImported
        summary.usersCreated += counts.usersCreated
    }

    /// Waits for the batches still being written when the import stops early; their outcome no longer matters.
    mutating func settle() async {
        for task in tasks { _ = try? await task.value }
        tasks = []
    }
}

/// Consecutive flat rows of one tree: a row joins the group while it names the same tree (or, without a
/// `message_tree_id`, while it is not a new root).
private struct FlatGroup {
    var nodes: [ImportedNode] = []
    var treeKey: String?
    var firstLine = 0
    var lastLine = 0

    func accepts(_ node: ImportedNode) -> Bool {
        guard !nodes.isEmpty else { return true }
        if let key = node.message_tree_id { return key == treeKey }
        return node.parent_id != nil
    }

    mutating func add(_ node: ImportedNode, line: Int) {
        if nodes.isEmpty {
            firstLine = line
            treeKey = node.message_tree_id ?? node.message_id
        }
        nodes.append(node)
        lastLine = line
    }

    mutating func take() -> (nodes: [ImportedNode], firstLine: Int, lastLine: Int)? {
        guard !nodes.isEmpty else { return nil }
        defer { self = FlatGroup() }
        return (nodes, firstLine, lastLine)
    }
}
