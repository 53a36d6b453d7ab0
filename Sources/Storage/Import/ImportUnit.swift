import Feedback
import Foundation

/// One tree's worth of rows, checked and ready to insert. A tree is imported whole or not at all.
struct ImportUnit: Sendable {
    struct Row: Sendable {
        var id: UUID
        var parentID: UUID?
        var authorID: UUID?
        var createdDate: String?
        var text: String
        var role: String
        var lang: String
        var depth: Int
        var childrenCount: Int
        var reviewCount: Int
        var reviewResult: Bool?
        var deleted: Bool
        var rank: Int?
        var synthetic: Bool
        var modelName: String?
        var emojisJSON: String
        /// `{label: average}` and `{label: votes}`, or nil when the message had no labels.
        var labelValuesJSON: String?
        var labelCountsJSON: String?
    }

    var treeID: UUID
    var state: TreeState
    var lang: String
    var origin: String
    var rows: [Row]
    var firstLine: Int
    var lastLine: Int

    struct Invalid: Error { var reason: String }

    /// Exported trees stay exported and decided ones keep their decision; anything unfinished waits in the
    /// backlog for ranking, as Open Assistant's import did.
    static func importedState(_ text: String?) -> TreeState {
        switch text.flatMap(TreeState.init(rawValue:)) {
        case .readyForExport: return .readyForExport
        case .abortedLowGrade: return .abortedLowGrade
        case .haltedByModerator: return .haltedByModerator
        default: return .backlogRanking
        }
    }

    /// A nested tree line.
    init(tree: ImportedTree, line: Int) throws {
        var rows: [Row] = []
        func add(_ node: ImportedNode, parent: UUID?, depth: Int) throws {
            let row = try Self.row(node, parentID: parent, depth: depth)
            rows.append(row)
            for reply in node.replies { try add(reply, parent: row.id, depth: depth + 1) }
        }
        if let parent = tree.prompt.parent_id, !parent.isEmpty { throw Invalid(reason: "the prompt has a parent_id (\(parent))") }
        try add(tree.prompt, parent: nil, depth: 0)
        try self.init(rows: rows, state: tree.tree_state, origin: tree.origin, firstLine: line, lastLine: line)
    }

    /// Consecutive flat rows of one tree, parents before or after children; the root must be among them.
    init(flat nodes: [ImportedNode], firstLine: Int, lastLine: Int) throws {
        var byID: [UUID: ImportedNode] = [:]
        var order: [UUID] = []
        for node in nodes {
            let id = ImportID.uuid(node.message_id)
            if byID[id] != nil { throw Invalid(reason: "message \(node.message_id) appears twice") }
            byID[id] = node
            order.append(id)
        }
        var depths: [UUID: Int] = [:]
        func depth(_ id: UUID, _ seen: Int) throws -> Int {
            if let known = depths[id] { return known }
            guard seen <= byID.count, let node = byID[id] else { throw Invalid(reason: "a parent chain loops") }
            guard let parent = node.parent_id.map(ImportID.uuid) else { depths[id] = 0; return 0 }
            guard byID[parent] != nil else {
                throw Invalid(reason: "the parent \(node.parent_id!) of message \(node.message_id) is not among the rows of its tree")
            }
            let value = try depth(parent, seen + 1) + 1
            depths[id] = value
            return value
        }
        var rows: [Row] = []
        for id in order {
            let node = byID[id]!
            rows.append(try Self.row(node, parentID: node.parent_id.map(ImportID.uuid), depth: try depth(id, 0)))
        }
        try self.init(rows: rows, state: nodes.first?.tree_state, origin: nil, firstLine: firstLine, lastLine: lastLine)
    }

    private init(rows: [Row], state: String?, origin: String?, firstLine: Int, lastLine: Int) throws {
        let roots = rows.filter { $0.parentID == nil }
        guard roots.count == 1, let root = roots.first else { throw Invalid(reason: "a tree needs exactly one message without parent, found \(roots.count)") }
        guard root.role == "prompter" else { throw Invalid(reason: "the initial prompt must have role prompter") }
        var children: [UUID: Int] = [:]
        for row in rows { if let parent = row.parentID { children[parent, default: 0] += 1 } }
        self.rows = rows.map { row in
            var row = row
            row.childrenCount = children[row.id] ?? 0
            return row
        }
        self.treeID = root.id
        self.state = Self.importedState(state)
        self.lang = root.lang
        self.origin = origin ?? "import"
        self.firstLine = firstLine
        self.lastLine = lastLine
    }

    private static func row(_ node: ImportedNode, parentID: UUID?, depth: Int) throws -> Row {
        guard node.role == "prompter" || node.role == "assistant" else {
            throw Invalid(reason: "message \(node.message_id) has role '\(node.role)' (prompter or assistant expected)")
        }
        var labelValues: [String: Double] = [:], labelCounts: [String: Int] = [:]
        for (name, label) in node.labels {
            guard let value = label.value, label.count > 0 else { continue }
            labelValues[name] = value
            labelCounts[name] = label.count
        }
        return Row(
            id: ImportID.uuid(node.message_id), parentID: parentID, authorID: node.user_id.map(ImportID.uuid),
            createdDate: node.created_date, text: node.text, role: node.role, lang: node.lang ?? "en", depth: depth,
            childrenCount: 0, reviewCount: node.review_count ?? 0, reviewResult: node.review_result,
            deleted: node.deleted ?? false, rank: node.rank, synthetic: node.synthetic ?? false, modelName: node.model_name,
            emojisJSON: json(node.emojis),
            labelValuesJSON: labelValues.isEmpty ? nil : json(labelValues),
            labelCountsJSON: labelCounts.isEmpty ? nil : json(labelCounts))
    }

    /// Small objects (emoji counts, label values) as JSON with sorted keys, without a JSONEncoder per message:
    /// at 100,000 messages an import spends noticeable time creating encoders.
    private static func json(_ object: [String: Int]) -> String {
        var line = JSONLine(capacity: 64)
        line.beginObject()
        for key in object.keys.sorted() { line.key(key); line.int(object[key]!) }
        line.endObject()
        return String(decoding: line.bytes, as: UTF8.self)
    }

    private static func json(_ object: [String: Double]) -> String {
        var line = JSONLine(capacity: 64)
        line.beginObject()
        for key in object.keys.sorted() { line.key(key); line.double(object[key]!) }
        line.endObject()
        return String(decoding: line.bytes, as: UTF8.self)
    }
}
