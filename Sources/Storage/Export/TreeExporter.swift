import Foundation
import PostgresNIO

/// Streams the selected trees (or their flat messages, or training views) to a `LineOutput`, one page of trees
/// at a time inside one read-only snapshot, so memory stays flat and the file is consistent however long it takes.
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
        var summary = Summary()
        var after = UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))
        while true {
            let trees = try await queries.trees(after: after)
            guard let last = trees.last else { break }
            after = last.id
            let ids = trees.map(\.id)
            var messages = try await queries.messages(of: ids)
            if options.exportLabels {
                let labels = try await queries.labels(of: ids)
                for index in messages.indices { messages[index].labels = labels[messages[index].id] ?? [] }
            }
            if options.exportEvents {
                let emojis = try await queries.emojiEvents(of: ids)
                let rankings = try await queries.rankingEvents(of: ids)
                for index in messages.indices {
                    messages[index].emojiEvents = emojis[messages[index].id] ?? []
                    messages[index].rankingEvents = rankings[messages[index].id] ?? []
                }
            }
            let byTree = Dictionary(grouping: messages, by: \.treeID)
            for tree in trees {
                try await write(tree, byTree[tree.id] ?? [], options, encoding, output, &summary)
            }
        }
        return summary
    }

    private func write(
        _ tree: ExportQueries.TreeRow, _ messages: [ExportedMessage], _ options: ExportOptions,
        _ encoding: ExportEncoding, _ output: some LineOutput, _ summary: inout Summary
    ) async throws {
        func emit(_ line: [UInt8]) async throws {
            try await output.writeLine(line)
            summary.lines += 1
        }
        switch options.effectiveFormat {
        case .flat:
            let ordered = TreeAssembly.preOrder(messages)
            guard !ordered.isEmpty else { return }
            summary.trees += 1
            for message in ordered {
                try await emit(encoding.flat(message, state: tree.state))
                summary.messages += 1
            }
        case .trees:
            guard let root = TreeAssembly.tree(rootID: tree.id, messages: messages) else { return }
            summary.trees += 1
            summary.messages += Self.count(root)
            try await emit(encoding.tree(root, state: tree.state, origin: tree.origin))
        case .sft:
            guard let root = TreeAssembly.tree(rootID: tree.id, messages: messages) else { return }
            summary.trees += 1
            for thread in TrainingViews.sftThreads(root, topK: options.topK) {
                try await emit(TrainingViews.sftLine(thread))
                summary.messages += thread.count
            }
        case .pairs:
            guard let root = TreeAssembly.tree(rootID: tree.id, messages: messages) else { return }
            summary.trees += 1
            for group in TrainingViews.rankedGroups(root, topK: options.topK) {
                for line in TrainingViews.pairLines(prefix: group.prefix, replies: group.replies) { try await emit(line) }
                summary.messages += group.replies.count
            }
        }
    }

    private static func count(_ node: ExportedMessage) -> Int {
        1 + node.replies.reduce(0) { $0 + count($1) }
    }
}
