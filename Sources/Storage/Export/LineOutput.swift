import Foundation

/// Where exported lines go: a file, standard output, gzip, an HTTP download, or memory in tests.
/// Asynchronous so that a slow reader (a download) holds the export back instead of piling it up in memory.
public protocol LineOutput: AnyObject {
    /// One JSON object without its newline.
    func writeLine(_ bytes: [UInt8]) async throws
    /// Flushes and closes; further writes are errors.
    func finish() async throws
}

/// Collects lines in memory (tests, small views).
public final class CollectedLines: LineOutput {
    public private(set) var lines: [String] = []
    public init() {}
    public func writeLine(_ bytes: [UInt8]) throws { lines.append(String(decoding: bytes, as: UTF8.self)) }
    public func finish() throws {}
}

/// Writes lines to a file or standard output through a 1 MiB buffer. A name ending in `.gz` is compressed by
/// the system `gzip` binary through a pipe: Foundation on Linux has no deflate, and gzip (always on Debian)
/// compresses on another core while this process reads the database.
public final class FileLineOutput: LineOutput {
    private let handle: FileHandle
    private let compressor: Process?
    private var buffer: [UInt8] = []
    private let flushAt = 1 << 20

    /// `path` nil or "-" is standard output.
    public init(path: String?) throws {
        guard let path, path != "-" else {
            handle = FileHandle.standardOutput
            compressor = nil
            return
        }
        guard FileManager.default.createFile(atPath: path, contents: nil), let file = FileHandle(forWritingAtPath: path) else {
            throw ExportError.cannotWrite(path)
        }
        if path.hasSuffix(".gz") {
            let gzip = Process()
            gzip.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            gzip.arguments = ["gzip", "-c"]
            let pipe = Pipe()
            gzip.standardInput = pipe
            gzip.standardOutput = file
            try gzip.run()
            handle = pipe.fileHandleForWriting
            compressor = gzip
        } else {
            handle = file
            compressor = nil
        }
        buffer.reserveCapacity(flushAt + 64 * 1024)
    }

    public func writeLine(_ bytes: [UInt8]) throws {
        buffer.append(contentsOf: bytes)
        buffer.append(0x0A)
        if buffer.count >= flushAt { try flush() }
    }

    private func flush() throws {
        guard !buffer.isEmpty else { return }
        try handle.write(contentsOf: buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    public func finish() throws {
        try flush()
        if let compressor {
            try handle.close()
            compressor.waitUntilExit()
            guard compressor.terminationStatus == 0 else { throw ExportError.compressionFailed(compressor.terminationStatus) }
        } else if handle !== FileHandle.standardOutput {
            try handle.close()
        }
    }
}

public enum ExportError: Error, CustomStringConvertible, Equatable {
    case cannotWrite(String)
    case compressionFailed(Int32)

    public var description: String {
        switch self {
        case .cannotWrite(let path): return "cannot write \(path)"
        case .compressionFailed(let status): return "gzip failed with status \(status)"
        }
    }
}
