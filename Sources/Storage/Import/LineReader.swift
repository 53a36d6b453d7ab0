import Foundation

/// Reads a file line by line in 1 MiB chunks, so a file of any size costs the same memory. A gzip file
/// (found by its magic bytes, whatever its name) is read through the system `gzip -dc`: Foundation on Linux
/// has no inflate, and Debian always has gzip.
final class LineReader {
    private let handle: FileHandle
    private let decompressor: Process?
    private var buffer: [UInt8] = []
    private var start = 0
    private var finished = false

    init(path: String) throws {
        guard let file = FileHandle(forReadingAtPath: path) else { throw ImportError.cannotRead(path) }
        let magic = try file.read(upToCount: 2) ?? Data()
        if magic == Data([0x1F, 0x8B]) {
            try file.close()
            let gzip = Process()
            gzip.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            gzip.arguments = ["gzip", "-dc", path]
            let pipe = Pipe()
            gzip.standardOutput = pipe
            try gzip.run()
            handle = pipe.fileHandleForReading
            decompressor = gzip
        } else {
            try file.seek(toOffset: 0)
            handle = file
            decompressor = nil
        }
    }

    /// The next line without its newline, or nil at the end of the file. The slice shares the reader's buffer:
    /// use it before asking for the next line.
    func next() throws -> ArraySlice<UInt8>? {
        while true {
            let newline = buffer.withUnsafeBufferPointer { bytes -> Int? in
                guard start < bytes.count, let base = bytes.baseAddress,
                      let found = memchr(base + start, 0x0A, bytes.count - start) else { return nil }
                return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
            }
            if let newline {
                let line = buffer[start..<newline]
                start = newline + 1
                return line
            }
            if finished {
                guard start < buffer.count else { return nil }
                let line = buffer[start...]
                start = buffer.count
                return line
            }
            buffer.removeSubrange(0..<start)
            start = 0
            let chunk = try handle.read(upToCount: 1 << 20) ?? Data()
            if chunk.isEmpty {
                finished = true
                try finish()
            } else {
                buffer.append(contentsOf: chunk)
            }
        }
    }

    private func finish() throws {
        try handle.close()
        if let decompressor {
            decompressor.waitUntilExit()
            guard decompressor.terminationStatus == 0 else { throw ImportError.decompressionFailed(decompressor.terminationStatus) }
        }
    }
}
