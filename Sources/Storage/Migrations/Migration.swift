import Crypto
import Foundation

/// One file of `migrations/`: `NNNN_name.sql`, applied once, in order, in one transaction.
public struct Migration: Sendable, Equatable {
    public let version: Int
    public let name: String
    public let sql: String

    /// SHA-256 of the file's bytes: an applied migration whose file changed since is refused.
    public var checksum: String {
        SHA256.hash(data: Data(sql.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    public init(version: Int, name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
    }

    /// Reads every `NNNN_name.sql` in `directory`, sorted by version; two files with one number are an error.
    public static func load(from directory: URL) throws -> [Migration] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        } catch {
            throw MigrationError.folderMissing(directory.path)
        }
        var migrations: [Migration] = []
        for file in names where file.hasSuffix(".sql") {
            let stem = file.dropLast(4)
            guard let underscore = stem.firstIndex(of: "_"), let version = Int(stem[..<underscore]), version > 0 else {
                throw MigrationError.badFileName(file)
            }
            let sql = try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
            migrations.append(Migration(version: version, name: String(stem[stem.index(after: underscore)...]), sql: sql))
        }
        migrations.sort { $0.version < $1.version }
        for (earlier, later) in zip(migrations, migrations.dropFirst()) where earlier.version == later.version {
            throw MigrationError.duplicateVersion(earlier.version)
        }
        return migrations
    }
}

public enum MigrationError: Error, CustomStringConvertible, Equatable {
    case folderMissing(String)
    case badFileName(String)
    case duplicateVersion(Int)
    case checksumMismatch(version: Int, name: String)
    case appliedButMissing(version: Int, name: String)
    case failed(version: Int, name: String, reason: String)

    public var description: String {
        switch self {
        case .folderMissing(let path):
            return "the migrations folder \(path) does not exist"
        case .badFileName(let file):
            return "migration file '\(file)' is not named NNNN_name.sql"
        case .duplicateVersion(let version):
            return "two migration files share the number \(version)"
        case .checksumMismatch(let version, let name):
            return "migration \(version)_\(name) was edited after it was applied; add a new migration instead of changing an applied one"
        case .appliedButMissing(let version, let name):
            return "migration \(version)_\(name) is recorded as applied but its file is gone"
        case .failed(let version, let name, let reason):
            return "migration \(version)_\(name) failed and was rolled back: \(reason)"
        }
    }
}
