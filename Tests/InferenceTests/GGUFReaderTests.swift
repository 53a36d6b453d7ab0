import Foundation
import Testing
@testable import Inference

/// Builds GGUF files byte by byte, so every structure (and every way of cutting it short) is tested.
struct GGUFBuilder {
    var bytes: [UInt8] = []
    mutating func u8(_ v: UInt8) { bytes.append(v) }
    mutating func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { bytes += $0 } }
    mutating func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { bytes += $0 } }
    mutating func f32(_ v: Float) { u32(v.bitPattern) }
    mutating func string(_ s: String) { u64(UInt64(s.utf8.count)); bytes += Array(s.utf8) }

    /// A v3 file with one of every metadata type, an array, and two F32 / Q8_0 tensors.
    static func sample(version: UInt32 = 3, alignment: UInt32? = nil) -> [UInt8] {
        var b = GGUFBuilder()
        b.u32(0x4655_4747); b.u32(version)
        b.u64(2)                       // tensors
        b.u64(alignment == nil ? 6 : 7)  // metadata entries
        b.string("general.architecture"); b.u32(8); b.string("llama")
        b.string("test.u8"); b.u32(0); b.u8(200)
        b.string("test.f32"); b.u32(6); b.f32(1.5)
        b.string("test.bool"); b.u32(7); b.u8(1)
        b.string("test.u64"); b.u32(10); b.u64(1 << 40)
        b.string("test.array"); b.u32(9); b.u32(4); b.u64(3); for v: UInt32 in [7, 8, 9] { b.u32(v) }
        if let a = alignment { b.string("general.alignment"); b.u32(4); b.u32(a) }
        b.string("a"); b.u32(1); b.u64(4); b.u32(0); b.u64(0)           // F32 [4]
        b.string("b"); b.u32(2); b.u64(32); b.u64(1); b.u32(8); b.u64(UInt64(alignment ?? 32))  // Q8_0 [32, 1]
        let align = Int(alignment ?? 32)
        while b.bytes.count % align != 0 { b.u8(0) }
        for v: Float in [1, 2, 3, 4] { b.f32(v) }
        while b.bytes.count % align != 0 { b.u8(0) }
        b.bytes += [0x00, 0x3C] + (0..<32).map { UInt8($0) }   // d = 1.0, q = 0...31
        return b.bytes
    }
}

func withTemporaryFile<T>(_ bytes: [UInt8], _ body: (String) throws -> T) throws -> T {
    let path = NSTemporaryDirectory() + "gguf-test-\(UUID().uuidString).gguf"
    FileManager.default.createFile(atPath: path, contents: Data(bytes))
    defer { try? FileManager.default.removeItem(atPath: path) }
    return try body(path)
}

@Suite struct GGUFReaderTests {
    @Test func readsEveryValueTypeAndTensors() throws {
        try withTemporaryFile(GGUFBuilder.sample()) { path in
            let f = try GGUFFile(path: path)
            #expect(f.version == 3)
            #expect(f.metadata["general.architecture"] == .string("llama"))
            #expect(f.metadata["test.u8"] == .uint8(200))
            #expect(f.metadata["test.f32"] == .float32(1.5))
            #expect(f.metadata["test.bool"] == .bool(true))
            #expect(f.metadata["test.u64"]?.int == 1 << 40)
            #expect(f.metadata["test.array"] == .array([.uint32(7), .uint32(8), .uint32(9)]))
            #expect(f.tensorNames == ["a", "b"])
            let a = try f.tensor("a")
            #expect(a.type == .f32 && a.dims == [4])
            let p = f.data(of: a).assumingMemoryBound(to: Float.self)
            #expect((0..<4).map { p[$0] } == [1, 2, 3, 4])
            let b = try f.tensor("b")
            #expect(b.type == .q8_0 && b.byteCount == 34)
            var row = [Float](repeating: 0, count: 32)
            row.withUnsafeMutableBufferPointer { Dequantize.row(.q8_0, f.data(of: b), $0.baseAddress!, count: 32) }
            #expect(row == (0..<32).map(Float.init))
        }
    }

    @Test func honoursAlignmentAndVersion2() throws {
        try withTemporaryFile(GGUFBuilder.sample(version: 2, alignment: 64)) { path in
            let f = try GGUFFile(path: path)
            #expect(f.alignment == 64 && f.dataOffset % 64 == 0)
            #expect(try f.tensor("b").fileOffset == f.dataOffset + 64)
        }
    }

    @Test func everyTruncationIsAClearError() throws {
        let full = GGUFBuilder.sample()
        for n in 0..<full.count {
            let error = #expect(throws: InferenceError.self) {
                try withTemporaryFile(Array(full.prefix(n))) { try GGUFFile(path: $0) }
            }
            if case .truncated? = error {} else { Issue.record("cut at \(n): \(String(describing: error))") }
        }
    }

    @Test func rejectsBadMagicVersionAndTypes() throws {
        var bad = GGUFBuilder.sample()
        bad[0] = 0
        #expect(throws: InferenceError.badMagic(found: 0x4655_4700)) {
            try withTemporaryFile(bad) { try GGUFFile(path: $0) }
        }
        #expect(throws: InferenceError.unsupportedVersion(1)) {
            try withTemporaryFile(GGUFBuilder.sample(version: 1)) { try GGUFFile(path: $0) }
        }
        #expect(throws: InferenceError.fileNotFound(path: "/nonexistent/model.gguf")) {
            try GGUFFile(path: "/nonexistent/model.gguf")
        }
        // a Q4_1 tensor (type 3) is named in the error
        var b = GGUFBuilder()
        b.u32(0x4655_4747); b.u32(3); b.u64(1); b.u64(0)
        b.string("w"); b.u32(1); b.u64(32); b.u32(3); b.u64(0)
        let error = #expect(throws: InferenceError.self) { try withTemporaryFile(b.bytes) { try GGUFFile(path: $0) } }
        #expect(error == .unsupportedTensorType(tensor: "w", type: 3))
        #expect(error?.description.contains("w") == true)
    }

    @Test func corruptCountsAreRejectedWithoutHugeAllocations() throws {
        var b = GGUFBuilder()
        b.u32(0x4655_4747); b.u32(3); b.u64(UInt64.max / 2); b.u64(1)
        #expect(throws: InferenceError.self) { try withTemporaryFile(b.bytes) { try GGUFFile(path: $0) } }
        var c = GGUFBuilder()
        c.u32(0x4655_4747); c.u32(3); c.u64(0); c.u64(1)
        c.string("k"); c.u32(9); c.u32(4); c.u64(1 << 60)
        #expect(throws: InferenceError.self) { try withTemporaryFile(c.bytes) { try GGUFFile(path: $0) } }
    }
}
