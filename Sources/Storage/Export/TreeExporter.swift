import Foundation
import PostgresNIO

/// Streams the selected trees (or their flat messages, or training views) to a `LineOutput`, one page of trees
/// at a time inside one read-only snapshot, so memory stays flat and the file is consistent however long it takes.
/// The next page is read while the current one is written, so the database and the encoder work at the same time.
public struct TreeExporter: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    public struct Summary: Sendable, Equatable {
        public var trees = 0
        public var messages = 0
        public var lines = 0
    }

    public func export(_ options: ExportOptions, to output: some LineOutput) async throws -> Summary {
        let encoding = ExportEncoding(
            ids: IDWriter(anonymizer: options.anonymizerSeed.map(Anonymizer.init(seed:))),
            labels: options.exportLabels, events: options.exportEvents)
        let summary = try await database.withConnection { connection in
            try await connection.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", logger: database.logger)
            do {
                let summary = try await exportPages(options, encoding, output, connection)
                try await connection.query("COMMIT", logger: database.logger)
                return summary
            } catch {
                _ = try? await connection.query("ROLLBACK", logger: database.logger)
                throw error
            }
        }
        try await output.finish()
        return summary
    }

    private func exportPages(
        _ options: ExportOptions, _ encoding: ExportEncoding, _ output: some LineOutput, _ connection: PostgresConnection
    ) async throws -> Summary {
        let queries = ExportQueries(options: options, connection: connection, logger: database.logger)
        var writer = PageWriter(options: options, encoding: encoding)
        var page = try await ExportPage.read(queries, after: UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)))
        while let current = page {
            // The connection only ever runs this one read; writing touches no database.
            async let following = ExportPage.read(queries, after: current.lastTreeID)
            try await writer.write(current, to: output)
            page = try await following
        }
        return writer.summary
    }
}

/// One page of trees with their selected messages and what the options asked for.
struct ExportPage: Sendable {
    var trees: [ExportQueries.TreeRow]
    var messages: [ExportedMessage]
    /// The positions in `messages` of each tree's messages.
    var positions: [UUID: [Int]]
    var lastTreeID: UUID

    /// The page after `after`, or nil when no tree is left.
    static func read(_ queries: ExportQueries, after: UUID) async throws -> ExportPage? {
        let trees = try await queries.trees(after: after)
        guard let last = trees.last else { return nil }
        let ids = trees.map(\.id)
        var messages = try await queries.messages(of: ids)
        if queries.options.exportLabels {
            let labels = try await queries.labels(of: ids)
            for index in messages.indices { messages[index].labels = labels[messages[index].id] ?? [] }
        }
        if queries.options.exportEvents {
            let emojis = try await queries.emojiEvents(of: ids)
            let rankings = try await queries.rankingEvents(of: ids)
            for index in messages.indices {
                messages[index].emojiEvents = emojis[messages[index].id] ?? []
                messages[index].rankingEvents = rankings[messages[index].id] ?? []
            }
        }
        var positions: [UUID: [Int]] = [:]
        positions.reserveCapacity(trees.count)
        for (position, message) in messages.enumerated() { positions[message.treeID, default: []].append(position) }
        return ExportPage(trees: trees, messages: messages, positions: positions, lastTreeID: last.id)
    }
}

/// Turns pages into lines in the chosen format, reusing one line buffer for the whole export.
private struct PageWriter {
    let options: ExportOptions
    let encoding: ExportEncoding
    private(set) var summary = TreeExporter.Summary()
    private var json = JSONLine(capacity: 1 << 16)

    init(options: ExportOptions, encoding: ExportEncoding) {
        self.options = options
        self.encoding = encoding
    }

    mutating func write(_ page: ExportPage, to output: some LineOutput) async throws {
        for tree in page.trees {
            try await write(tree, TreeLayout(page.messages, page.positions[tree.id] ?? []), to: output)
        }
    }

    private mutating func write(_ tree: ExportQueries.TreeRow, _ layout: TreeLayout, to output: some LineOutput) async throws {
        switch options.effectiveFormat {
        case .flat:
            let ordered = layout.preOrder()
            guard !ordered.isEmpty else { return }
            summary.trees += 1
            for position in ordered {
                json.reset()
                encoding.flat(layout.messages[position], state: tree.state, into: &json)
                try await emit(json.bytes, to: output)
                summary.messages += 1
            }
        case .trees:
            guard let root = layout.root(id: tree.id) else { return }
            summary.trees += 1
            summary.messages += layout.count(from: root)
            json.reset()
            encoding.tree(layout, root: root, state: tree.state, origin: tree.origin, into: &json)
            try await emit(json.bytes, to: output)
        case .sft:
            guard let root = layout.nested(rootID: tree.id) else { return }
            summary.trees += 1
            for thread in TrainingViews.sftThreads(root, topK: options.topK) {
                try await emit(TrainingViews.sftLine(thread), to: output)
                summary.messages += thread.count
            }
        case .pairs:
            guard let root = layout.nested(rootID: tree.id) else { return }
            summary.trees += 1
            for group in TrainingViews.rankedGroups(root, topK: options.topK) {
                for line in TrainingViews.pairLines(prefix: group.prefix, replies: group.replies) { try await emit(line, to: output) }
                summary.messages += group.replies.count
            }
        }
    }

    private mutating func emit(_ line: [UInt8], to output: some LineOutput) async throws {
        try await output.writeLine(line)
        summary.lines += 1
    }
}
