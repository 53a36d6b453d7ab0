import Foundation

/// Splits a migration file into single statements, because PostgreSQL's extended protocol (which
/// PostgresNIO speaks) takes one statement at a time. Semicolons inside quotes, identifiers,
/// comments and dollar-quoted bodies do not split.
enum SQLScript {
    static func statements(in sql: String) -> [String] {
        let characters = Array(sql.unicodeScalars)
        var statements: [String] = []
        var current = String.UnicodeScalarView()
        var index = 0

        func flush() {
            let statement = String(current).trimmingCharacters(in: .whitespacesAndNewlines)
            if !statement.isEmpty && !isOnlyComments(statement) { statements.append(statement) }
            current = String.UnicodeScalarView()
        }

        func copy(until terminator: [Unicode.Scalar]) {
            // Copies up to and including `terminator` (or to the end of the text).
            while index < characters.count {
                if matches(terminator, at: index) {
                    current.append(contentsOf: terminator)
                    index += terminator.count
                    return
                }
                current.append(characters[index])
                index += 1
            }
        }

        func matches(_ pattern: [Unicode.Scalar], at position: Int) -> Bool {
            guard position + pattern.count <= characters.count else { return false }
            return Array(characters[position..<position + pattern.count]) == pattern
        }

        while index < characters.count {
            let scalar = characters[index]
            switch scalar {
            case ";":
                index += 1
                flush()
            case "'", "\"":
                current.append(scalar)
                index += 1
                copy(until: [scalar])
            case "-" where matches(["-", "-"], at: index):
                copy(until: ["\n"])
            case "/" where matches(["/", "*"], at: index):
                copy(until: ["*", "/"])
            case "$":
                if let tag = dollarTag(characters, at: index) {
                    current.append(contentsOf: tag)
                    index += tag.count
                    copy(until: tag)
                } else {
                    current.append(scalar)
                    index += 1
                }
            default:
                current.append(scalar)
                index += 1
            }
        }
        flush()
        return statements
    }

    /// `$$` or `$name$` starting at `position`, if there is one.
    private static func dollarTag(_ characters: [Unicode.Scalar], at position: Int) -> [Unicode.Scalar]? {
        var end = position + 1
        while end < characters.count, characters[end] == "_" || characters[end].properties.isAlphabetic || ("0"..."9").contains(characters[end]) {
            end += 1
        }
        guard end < characters.count, characters[end] == "$" else { return nil }
        return Array(characters[position...end])
    }

    private static func isOnlyComments(_ statement: String) -> Bool {
        statement.split(separator: "\n").allSatisfy { $0.trimmingCharacters(in: .whitespaces).hasPrefix("--") || $0.trimmingCharacters(in: .whitespaces).isEmpty }
    }
}
