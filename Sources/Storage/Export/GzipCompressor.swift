import CZlib

/// Streaming gzip through zlib, for exports that leave the process as a stream (a download) and cannot hand
/// their bytes to the `gzip` binary the way a file export does.
final class GzipCompressor {
    private var stream = z_stream()
    private var output = [UInt8](repeating: 0, count: 64 * 1024)

    init(level: Int32 = 6) throws {
        guard czlib_deflate_init_gzip(&stream, level) == Z_OK else { throw ExportError.compressionFailed(-1) }
    }

    deinit { deflateEnd(&stream) }

    /// Compressed bytes for `input`; zlib may hold some back until more input or `finish`.
    func compress(_ input: [UInt8]) throws -> [UInt8] {
        try run(input, flush: Z_NO_FLUSH)
    }

    /// The rest of the compressed stream and the gzip trailer.
    func finish() throws -> [UInt8] {
        try run([], flush: Z_FINISH)
    }

    private func run(_ input: [UInt8], flush: Int32) throws -> [UInt8] {
        var result: [UInt8] = []
        var input = input
        try input.withUnsafeMutableBufferPointer { source in
            stream.next_in = source.baseAddress
            stream.avail_in = UInt32(source.count)
            repeat {
                let status = output.withUnsafeMutableBufferPointer { target -> Int32 in
                    stream.next_out = target.baseAddress
                    stream.avail_out = UInt32(target.count)
                    return deflate(&stream, flush)
                }
                guard status == Z_OK || status == Z_STREAM_END || status == Z_BUF_ERROR else {
                    throw ExportError.compressionFailed(status)
                }
                result.append(contentsOf: output[0..<(output.count - Int(stream.avail_out))])
                if flush == Z_FINISH && status == Z_STREAM_END { break }
            } while stream.avail_out == 0 || (flush == Z_FINISH)
            stream.next_in = nil
        }
        return result
    }
}
