/// One tensor of a GGUF file: its shape (ggml order: `dims[0]` is the contiguous row length) and data.
public struct GGUFTensorInfo: Sendable {
    public let name: String
    public let dims: [Int]
    public let type: GGMLType
    /// Byte offset of the data from the start of the file.
    public let fileOffset: Int
    public let byteCount: Int
    public var elementCount: Int { dims.reduce(1, *) }
}

/// A parsed, memory-mapped GGUF (v2 or v3) file: metadata, tensor directory and tensor data.
///
/// Every read is bounds-checked: a truncated or corrupt file throws an `InferenceError` naming the
/// problem. Tensor data stays in the map; `data(of:)` hands out pointers into it.
public final class GGUFFile: @unchecked Sendable {
    public let version: UInt32
    public let metadata: [String: GGUFValue]
    public let tensors: [String: GGUFTensorInfo]
    /// Tensor names in file order.
    public let tensorNames: [String]
    public let alignment: Int
    public let dataOffset: Int
    let map: MappedFile

    static let magic: UInt32 = 0x4655_4747  // "GGUF" read as a little-endian u32

    public convenience init(path: String) throws {
        try self.init(map: MappedFile(path: path))
    }

    init(map: MappedFile) throws {
        self.map = map
        var c = ByteCursor(base: map.base, size: map.size)
        let magic = try c.read(UInt32.self, "magic")
        guard magic == GGUFFile.magic else { throw InferenceError.badMagic(found: magic) }
        version = try c.read(UInt32.self, "version")
        guard version == 2 || version == 3 else { throw InferenceError.unsupportedVersion(version) }
        let tensorCount = try c.read(UInt64.self, "tensor count")
        let kvCount = try c.read(UInt64.self, "metadata count")
        // Each entry takes at least 8 bytes, so counts beyond the file size are corrupt, not huge.
        guard tensorCount <= UInt64(map.size / 8), kvCount <= UInt64(map.size / 8) else {
            throw InferenceError.truncated(what: "\(tensorCount) tensor infos and \(kvCount) metadata entries announced by the header", offset: map.size)
        }

        var meta: [String: GGUFValue] = [:]
        for i in 0..<Int(kvCount) {
            let key = try c.readString("metadata key #\(i)")
            let rawType = try c.read(UInt32.self, "type of metadata \(key)")
            meta[key] = try GGUFFile.readValue(&c, rawType: rawType, key: key, depth: 0)
        }
        metadata = meta

        var align = 32
        if let a = meta["general.alignment"] {
            guard let v = a.int, v > 0, v & (v - 1) == 0 else {
                throw InferenceError.invalidMetadata(key: "general.alignment", reason: "must be a power of two, got \(a)")
            }
            align = v
        }
        alignment = align

        struct Raw { let name: String; let dims: [Int]; let type: GGMLType; let offset: UInt64 }
        var raws: [Raw] = []
        raws.reserveCapacity(Int(tensorCount))
        for i in 0..<Int(tensorCount) {
            let name = try c.readString("name of tensor #\(i)")
            let nDims = try c.read(UInt32.self, "rank of tensor \(name)")
            guard nDims >= 1, nDims <= 4 else { throw InferenceError.corrupt("tensor \(name) has rank \(nDims)") }
            var dims: [Int] = []
            for _ in 0..<nDims {
                let d = try c.read(UInt64.self, "shape of tensor \(name)")
                guard d >= 1, d < 1 << 40 else { throw InferenceError.corrupt("tensor \(name) has dimension \(d)") }
                dims.append(Int(d))
            }
            let rawType = try c.read(UInt32.self, "type of tensor \(name)")
            guard let type = GGMLType(rawValue: rawType) else {
                throw InferenceError.unsupportedTensorType(tensor: name, type: rawType)
            }
            let offset = try c.read(UInt64.self, "offset of tensor \(name)")
            raws.append(Raw(name: name, dims: dims, type: type, offset: offset))
        }

        let start = (c.offset + align - 1) / align * align
        dataOffset = start
        var infos: [String: GGUFTensorInfo] = [:]
        var names: [String] = []
        for r in raws {
            guard r.dims[0] % r.type.blockSize == 0 else {
                throw InferenceError.corrupt("tensor \(r.name): row length \(r.dims[0]) is not a multiple of the \(r.type) block size \(r.type.blockSize)")
            }
            let (elements, overflow) = r.dims.dropFirst().reduce((r.dims[0], false)) { acc, d in
                let m = acc.0.multipliedReportingOverflow(by: d); return (m.partialValue, acc.1 || m.overflow)
            }
            guard !overflow, elements < 1 << 40 else { throw InferenceError.corrupt("tensor \(r.name) is impossibly large") }
            let bytes = elements / r.type.blockSize * r.type.blockBytes
            guard r.offset % UInt64(align) == 0 else {
                throw InferenceError.corrupt("tensor \(r.name) data offset \(r.offset) is not aligned to \(align)")
            }
            guard r.offset < UInt64(map.size), start + Int(r.offset) + bytes <= map.size else {
                throw InferenceError.truncated(what: "data of tensor \(r.name)", offset: map.size)
            }
            guard infos[r.name] == nil else { throw InferenceError.corrupt("tensor \(r.name) appears twice") }
            infos[r.name] = GGUFTensorInfo(name: r.name, dims: r.dims, type: r.type,
                                          fileOffset: start + Int(r.offset), byteCount: bytes)
            names.append(r.name)
        }
        tensors = infos
        tensorNames = names
    }

    private static func readValue(_ c: inout ByteCursor, rawType: UInt32, key: String, depth: Int) throws -> GGUFValue {
        guard let type = GGUFValueType(rawValue: rawType) else {
            throw InferenceError.invalidMetadata(key: key, reason: "unknown value type \(rawType)")
        }
        switch type {
        case .uint8: return .uint8(try c.read(UInt8.self, "value of \(key)"))
        case .int8: return .int8(try c.read(Int8.self, "value of \(key)"))
        case .uint16: return .uint16(try c.read(UInt16.self, "value of \(key)"))
        case .int16: return .int16(try c.read(Int16.self, "value of \(key)"))
        case .uint32: return .uint32(try c.read(UInt32.self, "value of \(key)"))
        case .int32: return .int32(try c.read(Int32.self, "value of \(key)"))
        case .uint64: return .uint64(try c.read(UInt64.self, "value of \(key)"))
        case .int64: return .int64(try c.read(Int64.self, "value of \(key)"))
        case .float32: return .float32(try c.readFloat("value of \(key)"))
        case .float64: return .float64(try c.readDouble("value of \(key)"))
        case .bool:
            let b = try c.read(UInt8.self, "value of \(key)")
            guard b <= 1 else { throw InferenceError.invalidMetadata(key: key, reason: "bool byte \(b)") }
            return .bool(b == 1)
        case .string: return .string(try c.readString("value of \(key)"))
        case .array:
            guard depth < 4 else { throw InferenceError.invalidMetadata(key: key, reason: "arrays nested too deeply") }
            let elementType = try c.read(UInt32.self, "array type of \(key)")
            let count = try c.read(UInt64.self, "array length of \(key)")
            // Every element takes at least one byte: a longer array cannot fit in what remains.
            guard count <= UInt64(c.end - c.offset) else {
                throw InferenceError.truncated(what: "array \(key) of \(count) elements", offset: c.offset)
            }
            var items: [GGUFValue] = []
            items.reserveCapacity(Int(count))
            for _ in 0..<Int(count) {
                items.append(try readValue(&c, rawType: elementType, key: key, depth: depth + 1))
            }
            return .array(items)
        }
    }

    // MARK: typed metadata access

    public func string(_ key: String) throws -> String {
        guard let v = metadata[key] else { throw InferenceError.missingMetadata(key: key) }
        guard let s = v.string else { throw InferenceError.invalidMetadata(key: key, reason: "expected a string") }
        return s
    }

    public func optionalString(_ key: String) -> String? { metadata[key]?.string }

    public func int(_ key: String) throws -> Int {
        guard let v = metadata[key] else { throw InferenceError.missingMetadata(key: key) }
        guard let i = v.int else { throw InferenceError.invalidMetadata(key: key, reason: "expected an integer") }
        return i
    }

    public func optionalInt(_ key: String) -> Int? { metadata[key]?.int }
    public func optionalDouble(_ key: String) -> Double? { metadata[key]?.double }
    public func optionalBool(_ key: String) -> Bool? { metadata[key]?.bool }

    /// Pointer to the first byte of a tensor's data inside the map.
    public func data(of info: GGUFTensorInfo) -> UnsafeRawPointer { map.base + info.fileOffset }

    public func tensor(_ name: String) throws -> GGUFTensorInfo {
        guard let t = tensors[name] else { throw InferenceError.missingTensor(name: name) }
        return t
    }
}
