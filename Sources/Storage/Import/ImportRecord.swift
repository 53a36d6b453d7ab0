/// One line of an oasst file: a whole tree (`{message_tree_id, tree_state, prompt}`) or a flat message row
/// (a node with `message_tree_id` and `tree_state`, as in the Hugging Face dataset). Objects with `prompt`
/// are trees, objects with `message_id` are messages, as Open Assistant's reader decides.
enum ImportLine {
    case tree(ImportedTree)
    case message(ImportedNode)

    /// Reads one line; unknown members are skipped, as Open Assistant's pydantic models do.
    init(json bytes: UnsafeBufferPointer<UInt8>) throws(ImportLineError) {
        do {
            var reader = JSONReader(bytes)
            var fields = ImportedNode.Fields()
            var tree = ImportedTree.Fields()
            try reader.object { key, reader in
                if try !tree.read(key, &reader) { try fields.read(key, &reader) }
            }
            try reader.end()
            if let prompt = tree.prompt {
                self = .tree(ImportedTree(message_tree_id: fields.message_tree_id, tree_state: fields.tree_state, origin: tree.origin, prompt: prompt))
            } else if fields.message_id != nil {
                self = .message(try fields.node())
            } else {
                throw ImportLineError(reason: "neither a tree (prompt) nor a message (message_id)")
            }
        } catch let error as ImportLineError {
            throw error
        } catch let error as FieldError {
            throw error.lineError
        } catch let error as JSONReaderSyntaxError {
            throw ImportLineError(reason: "not valid JSON: \(error.reason) at byte \(error.offset + 1)")
        } catch {
            throw ImportLineError(reason: String(describing: error))
        }
    }
}

/// Why a line is not an oasst record, in words for the person who fixes the file.
struct ImportLineError: Error {
    var reason: String

    /// A field of the wrong type or a missing one, named by its path from the line's top (`prompt.replies.0.text`).
    static func field(_ path: [String], _ problem: String) -> ImportLineError {
        ImportLineError(reason: "\(problem) '\(path.joined(separator: "."))'")
    }
}

/// A field's error on its way out of nested objects, gathering the path; it becomes an `ImportLineError` at the top.
private struct FieldError: Error {
    var path: [String]
    var problem: String

    var lineError: ImportLineError { .field(path, problem) }
}

struct ImportedTree {
    var message_tree_id: String?
    var tree_state: String?
    var origin: String?
    var prompt: ImportedNode

    /// The members only a tree line has; `message_tree_id` and `tree_state` are read with the node fields, since
    /// flat message rows carry them too.
    struct Fields {
        var origin: String?
        var prompt: ImportedNode?

        /// Reads `key` when it is a tree member; false leaves it to the node fields.
        mutating func read(_ key: String, _ reader: inout JSONReader) throws -> Bool {
            switch key {
            case "origin": origin = try optionalString(key, &reader)
            case "prompt":
                do {
                    var fields = ImportedNode.Fields()
                    guard try reader.peek() == .object else { throw FieldError(path: [], problem: "wrong type for") }
                    try reader.object { key, reader in try fields.read(key, &reader) }
                    prompt = try fields.node()
                } catch var error as FieldError {
                    error.path.insert(key, at: 0)
                    throw error
                }
            default: return false
            }
            return true
        }
    }
}

/// `ExportMessageNode`, tolerant of both layouts of emojis and labels: the tree files' maps
/// (`{"+1": 3}`, `{"quality": {"value": 0.5, "count": 3}}`) and the dataset's parallel arrays
/// (`{name: [...], count: [...]}`, `{name: [...], value: [...], count: [...]}`).
struct ImportedNode {
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

    struct LabelValue {
        var value: Double?
        var count: Int
    }

    /// The members of one node object as they are read; `node()` checks the required ones.
    struct Fields {
        var message_id: String?
        var parent_id: String?
        var user_id: String?
        var created_date: String?
        var text: String?
        var role: String?
        var lang: String?
        var review_count: Int?
        var review_result: Bool?
        var deleted: Bool?
        var rank: Int?
        var synthetic: Bool?
        var model_name: String?
        var emojis: [String: Int] = [:]
        var labels: [String: LabelValue] = [:]
        var replies: [ImportedNode] = []
        var message_tree_id: String?
        var tree_state: String?

        mutating func read(_ key: String, _ reader: inout JSONReader) throws {
            do {
                switch key {
                case "message_id": message_id = try requiredString(&reader)
                case "parent_id": parent_id = try optionalString(key, &reader)
                case "user_id": user_id = try optionalString(key, &reader)
                case "created_date": created_date = try optionalString(key, &reader)
                case "text": text = try requiredString(&reader)
                case "role": role = try requiredString(&reader)
                case "lang": lang = try optionalString(key, &reader)
                case "review_count": review_count = try reader.null() ? nil : try reader.int()
                case "review_result": review_result = try reader.null() ? nil : try reader.bool()
                case "deleted": deleted = try reader.null() ? nil : try reader.bool()
                case "rank": rank = try reader.null() ? nil : try reader.int()
                case "synthetic": synthetic = try reader.null() ? nil : try reader.bool()
                case "model_name": model_name = try optionalString(key, &reader)
                case "message_tree_id": message_tree_id = try optionalString(key, &reader)
                case "tree_state": tree_state = try optionalString(key, &reader)
                case "emojis": emojis = try reader.null() ? [:] : try Self.emojis(&reader)
                case "labels": labels = try reader.null() ? [:] : try Self.labels(&reader)
                case "replies": if try !reader.null() { replies = try Self.replies(&reader) }
                default: try reader.skip()
                }
            } catch is JSONReaderMismatch {
                throw FieldError(path: [key], problem: "wrong type for")
            } catch var error as FieldError {
                error.path.insert(key, at: 0)
                throw error
            }
        }

        func node() throws -> ImportedNode {
            guard let message_id else { throw FieldError(path: ["message_id"], problem: "missing field") }
            guard let text else { throw FieldError(path: ["text"], problem: "missing field") }
            guard let role else { throw FieldError(path: ["role"], problem: "missing field") }
            return ImportedNode(
                message_id: message_id, parent_id: parent_id, user_id: user_id, created_date: created_date, text: text,
                role: role, lang: lang, review_count: review_count, review_result: review_result, deleted: deleted,
                rank: rank, synthetic: synthetic, model_name: model_name, emojis: emojis, labels: labels,
                replies: replies, message_tree_id: message_tree_id, tree_state: tree_state)
        }

        private func requiredString(_ reader: inout JSONReader) throws -> String {
            try reader.string()
        }

        private static func replies(_ reader: inout JSONReader) throws -> [ImportedNode] {
            var replies: [ImportedNode] = []
            guard try reader.peek() == .array else { throw JSONReaderMismatch() }
            try reader.array { reader in
                do {
                    guard try reader.peek() == .object else { throw JSONReaderMismatch() }
                    var fields = Fields()
                    try reader.object { key, reader in try fields.read(key, &reader) }
                    replies.append(try fields.node())
                } catch is JSONReaderMismatch {
                    throw FieldError(path: [String(replies.count)], problem: "wrong type for")
                } catch var error as FieldError {
                    error.path.insert(String(replies.count), at: 0)
                    throw error
                }
            }
            return replies
        }

        /// `{"+1": 3}`, or `{"name": ["+1"], "count": [3]}`.
        private static func emojis(_ reader: inout JSONReader) throws -> [String: Int] {
            guard try reader.peek() == .object else { throw JSONReaderMismatch() }
            var map: [String: Int] = [:]
            var names: [String]?, counts: [Int]?
            try reader.object { key, reader in
                if try reader.peek() == .array {
                    switch key {
                    case "name": names = try strings(key, &reader)
                    case "count": counts = try ints(key, &reader)
                    default: try reader.skip()
                    }
                } else {
                    do { map[key] = try reader.int() } catch is JSONReaderMismatch { throw FieldError(path: [key], problem: "wrong type for") }
                }
            }
            guard names != nil || counts != nil else { return map }
            guard map.isEmpty else { throw FieldError(path: [], problem: "emoji counts mixed with emoji columns in") }
            guard let names else { throw FieldError(path: ["name"], problem: "missing field") }
            guard let counts else { throw FieldError(path: ["count"], problem: "missing field") }
            guard names.count == counts.count else { throw FieldError(path: [], problem: "emoji names and counts differ in length in") }
            return Dictionary(zip(names, counts), uniquingKeysWith: +)
        }

        /// `{"quality": {"value": 0.5, "count": 3}}`, or `{"name": [...], "value": [...], "count": [...]}`.
        private static func labels(_ reader: inout JSONReader) throws -> [String: LabelValue] {
            guard try reader.peek() == .object else { throw JSONReaderMismatch() }
            var map: [String: LabelValue] = [:]
            var names: [String]?, values: [Double?]?, counts: [Int]?
            try reader.object { key, reader in
                if try reader.peek() == .array {
                    switch key {
                    case "name": names = try strings(key, &reader)
                    case "value": values = try optionalDoubles(key, &reader)
                    case "count": counts = try ints(key, &reader)
                    default: try reader.skip()
                    }
                } else {
                    map[key] = try label(key, &reader)
                }
            }
            guard names != nil || values != nil || counts != nil else { return map }
            guard map.isEmpty else { throw FieldError(path: [], problem: "label values mixed with label columns in") }
            guard let names else { throw FieldError(path: ["name"], problem: "missing field") }
            guard let values else { throw FieldError(path: ["value"], problem: "missing field") }
            guard let counts else { throw FieldError(path: ["count"], problem: "missing field") }
            guard names.count == values.count, names.count == counts.count else {
                throw FieldError(path: [], problem: "label names, values and counts differ in length in")
            }
            var labels: [String: LabelValue] = [:]
            for index in names.indices { labels[names[index]] = LabelValue(value: values[index], count: counts[index]) }
            return labels
        }

        private static func label(_ name: String, _ reader: inout JSONReader) throws -> LabelValue {
            guard try reader.peek() == .object else { throw FieldError(path: [name], problem: "wrong type for") }
            var value: Double?, count: Int?
            try reader.object { key, reader in
                do {
                    switch key {
                    case "value": value = try reader.null() ? nil : try reader.double()
                    case "count": count = try reader.int()
                    default: try reader.skip()
                    }
                } catch is JSONReaderMismatch {
                    throw FieldError(path: [name, key], problem: "wrong type for")
                }
            }
            guard let count else { throw FieldError(path: [name, "count"], problem: "missing field") }
            return LabelValue(value: value, count: count)
        }

        private static func strings(_ key: String, _ reader: inout JSONReader) throws -> [String] {
            var list: [String] = []
            try reader.array { reader in
                do { list.append(try reader.string()) } catch is JSONReaderMismatch { throw FieldError(path: [key, String(list.count)], problem: "wrong type for") }
            }
            return list
        }

        private static func ints(_ key: String, _ reader: inout JSONReader) throws -> [Int] {
            var list: [Int] = []
            try reader.array { reader in
                do { list.append(try reader.int()) } catch is JSONReaderMismatch { throw FieldError(path: [key, String(list.count)], problem: "wrong type for") }
            }
            return list
        }

        private static func optionalDoubles(_ key: String, _ reader: inout JSONReader) throws -> [Double?] {
            var list: [Double?] = []
            try reader.array { reader in
                do { list.append(try reader.null() ? nil : try reader.double()) } catch is JSONReaderMismatch {
                    throw FieldError(path: [key, String(list.count)], problem: "wrong type for")
                }
            }
            return list
        }
    }
}

/// A string member that may be null or absent.
private func optionalString(_ key: String, _ reader: inout JSONReader) throws -> String? {
    do {
        return try reader.null() ? nil : try reader.string()
    } catch is JSONReaderMismatch {
        throw FieldError(path: [key], problem: "wrong type for")
    }
}
