import Foundation

/// One line of an oasst file: a whole tree (`{message_tree_id, tree_state, prompt}`) or a flat message row
/// (a node with `message_tree_id` and `tree_state`, as in the Hugging Face dataset). Objects with `prompt`
/// are trees, objects with `message_id` are messages, as Open Assistant's reader decides.
enum ImportLine: Decodable {
    case tree(ImportedTree)
    case message(ImportedNode)

    private enum Keys: String, CodingKey { case prompt, message_id }

    init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: Keys.self)
        if container.contains(.prompt) {
            self = .tree(try ImportedTree(from: decoder))
        } else if container.contains(.message_id) {
            self = .message(try ImportedNode(from: decoder))
        } else {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "neither a tree (prompt) nor a message (message_id)"))
        }
    }
}

struct ImportedTree: Decodable {
    var message_tree_id: String?
    var tree_state: String?
    var origin: String?
    var prompt: ImportedNode
}

/// `ExportMessageNode`, tolerant of both layouts of emojis and labels: the tree files' maps
/// (`{"+1": 3}`, `{"quality": {"value": 0.5, "count": 3}}`) and the dataset's parallel arrays
/// (`{name: [...], count: [...]}`, `{name: [...], value: [...], count: [...]}`).
struct ImportedNode: Decodable {
    var message_id: String
    var parent_id: String?
    var user_id: String?
    var created_date: String?
    var text: String
    var role: String
    var lang: String?
    var review_count: Int?
    var review_result: Bool?
    var deleted: Bool?
    var rank: Int?
    var synthetic: Bool?
    var model_name: String?
    var emojis: [String: Int]
    var labels: [String: LabelValue]
    var replies: [ImportedNode]
    var message_tree_id: String?
    var tree_state: String?

    struct LabelValue: Decodable {
        var value: Double?
        var count: Int
    }

    private enum Keys: String, CodingKey {
        case message_id, parent_id, user_id, created_date, text, role, lang, review_count, review_result, deleted, rank,
             synthetic, model_name, emojis, labels, replies, message_tree_id, tree_state
    }

    private struct ColumnEmojis: Decodable { var name: [String]; var count: [Int] }
    private struct ColumnLabels: Decodable { var name: [String]; var value: [Double?]; var count: [Int] }

    init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        message_id = try c.decode(String.self, forKey: .message_id)
        parent_id = try c.decodeIfPresent(String.self, forKey: .parent_id)
        user_id = try c.decodeIfPresent(String.self, forKey: .user_id)
        created_date = try c.decodeIfPresent(String.self, forKey: .created_date)
        text = try c.decode(String.self, forKey: .text)
        role = try c.decode(String.self, forKey: .role)
        lang = try c.decodeIfPresent(String.self, forKey: .lang)
        review_count = try c.decodeIfPresent(Int.self, forKey: .review_count)
        review_result = try c.decodeIfPresent(Bool.self, forKey: .review_result)
        deleted = try c.decodeIfPresent(Bool.self, forKey: .deleted)
        rank = try c.decodeIfPresent(Int.self, forKey: .rank)
        synthetic = try c.decodeIfPresent(Bool.self, forKey: .synthetic)
        model_name = try c.decodeIfPresent(String.self, forKey: .model_name)
        replies = try c.decodeIfPresent([ImportedNode].self, forKey: .replies) ?? []
        message_tree_id = try c.decodeIfPresent(String.self, forKey: .message_tree_id)
        tree_state = try c.decodeIfPresent(String.self, forKey: .tree_state)
        if let map = try? c.decodeIfPresent([String: Int].self, forKey: .emojis) {
            emojis = map
        } else if let columns = try c.decodeIfPresent(ColumnEmojis.self, forKey: .emojis) {
            guard columns.name.count == columns.count.count else { throw Self.corrupt(.emojis, "emoji names and counts differ in length") }
            emojis = Dictionary(zip(columns.name, columns.count), uniquingKeysWith: +)
        } else {
            emojis = [:]
        }
        if let map = try? c.decodeIfPresent([String: LabelValue].self, forKey: .labels) {
            labels = map
        } else if let columns = try c.decodeIfPresent(ColumnLabels.self, forKey: .labels) {
            guard columns.name.count == columns.value.count, columns.name.count == columns.count.count else {
                throw Self.corrupt(.labels, "label names, values and counts differ in length")
            }
            labels = [:]
            for index in columns.name.indices {
                labels[columns.name[index]] = LabelValue(value: columns.value[index], count: columns.count[index])
            }
        } else {
            labels = [:]
        }
    }

    private static func corrupt(_ key: Keys, _ reason: String) -> DecodingError {
        .dataCorrupted(.init(codingPath: [key], debugDescription: reason))
    }
}
