import Foundation
import PostgresNIO

public enum ImportError: Error, CustomStringConvertible, Equatable {
    case cannotRead(String)
    case decompressionFailed(Int32)
    /// A line that is not an oasst tree or message, or a tree the database refused; nothing of its tree was stored.
    case badLine(line: Int, reason: String)

    public var line: Int? {
        if case .badLine(let line, _) = self { return line }
        return nil
    }

    public var description: String {
        switch self {
        case .cannotRead(let path): return "cannot read \(path)"
        case .decompressionFailed(let status): return "gzip -d failed with status \(status)"
        case .badLine(let line, let reason): return "line \(line): \(reason); nothing of this tree was imported"
        }
    }

    /// The server's own words for a refused statement (PostgresNIO hides them from `description`).
    static func reason(_ error: Error) -> String {
        if let error = error as? PSQLError, let message = error.serverInfo?[.message] {
            return message + (error.serverInfo?[.detail].map { " (\($0))" } ?? "")
        }
        return String(describing: error)
    }
}
