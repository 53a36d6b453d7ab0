/// Hands exported lines on in chunks of about `chunkSize` bytes (gzipped when asked), waiting for each chunk
/// to be taken before producing more: a download streams at the reader's pace with one chunk in memory.
public final class ChunkedLineOutput: LineOutput {
    private let send: ([UInt8]) async throws -> Void
    private let compressor: GzipCompressor?
    private let chunkSize: Int
    private var buffer: [UInt8] = []

    public init(gzip: Bool, chunkSize: Int = 256 * 1024, send: @escaping ([UInt8]) async throws -> Void) throws {
        self.send = send
        self.compressor = gzip ? try GzipCompressor() : nil
        self.chunkSize = chunkSize
        buffer.reserveCapacity(chunkSize + 64 * 1024)
    }

    public func writeLine(_ bytes: [UInt8]) async throws {
        buffer.append(contentsOf: bytes)
        buffer.append(0x0A)
        if buffer.count >= chunkSize { try await flush(final: false) }
    }

    public func finish() async throws {
        try await flush(final: true)
    }

    private func flush(final: Bool) async throws {
        var chunk = buffer
        buffer.removeAll(keepingCapacity: true)
        if let compressor {
            chunk = try compressor.compress(chunk)
            if final { chunk += try compressor.finish() }
        }
        if !chunk.isEmpty { try await send(chunk) }
    }
}
