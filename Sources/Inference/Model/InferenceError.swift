/// Everything that can go wrong while loading or running a model, each with a message a person can act on.
public enum InferenceError: Error, CustomStringConvertible, Equatable {
    case fileNotFound(path: String)
    case cannotOpen(path: String, reason: String)
    /// The file ends before a structure it announces; `what` names the structure, `offset` where reading stopped.
    case truncated(what: String, offset: Int)
    case badMagic(found: UInt32)
    case unsupportedVersion(UInt32)
    case unsupportedTensorType(tensor: String, type: UInt32)
    case unsupportedArchitecture(String)
    case unsupportedTokenizer(String)
    case missingMetadata(key: String)
    case invalidMetadata(key: String, reason: String)
    case missingTensor(name: String)
    case tensorShapeMismatch(name: String, expected: [Int], found: [Int])
    case corrupt(String)
    /// A sequence would hold more tokens than its cache (or the model's training context) allows.
    case contextFull(limit: Int)
    case capacityTooLarge(requested: Int, limit: Int)
    case invalidToken(Int32, vocabularySize: Int)
    case invalidArgument(String)
    /// The module was compiled for instruction-set extensions this CPU does not have.
    case unsupportedCPU(missing: [String])

    public var description: String {
        switch self {
        case .fileNotFound(let path): return "model file not found: \(path)"
        case .cannotOpen(let path, let reason): return "cannot open model file \(path): \(reason)"
        case .truncated(let what, let offset): return "GGUF file is truncated: \(what) runs past the end of the file (at byte \(offset))"
        case .badMagic(let found):
            return "not a GGUF file: bad magic 0x\(String(found, radix: 16)) (expected \"GGUF\")"
        case .unsupportedVersion(let v): return "unsupported GGUF version \(v) (supported: 2 and 3)"
        case .unsupportedTensorType(let tensor, let type):
            return "tensor \(tensor) has unsupported type \(GGMLType(rawValue: type).map { "\($0)" } ?? "#\(type)") (supported: F32, F16, BF16, Q4_0, Q5_0, Q8_0, Q4_K, Q5_K, Q6_K)"
        case .unsupportedArchitecture(let a): return "unsupported model architecture \"\(a)\" (supported: gemma3, llama, qwen2)"
        case .unsupportedTokenizer(let t): return "unsupported tokenizer model \"\(t)\" (supported: llama (SentencePiece), gpt2 (byte-level BPE))"
        case .missingMetadata(let key): return "GGUF metadata key \(key) is missing"
        case .invalidMetadata(let key, let reason): return "GGUF metadata key \(key) is invalid: \(reason)"
        case .missingTensor(let name): return "tensor \(name) is missing from the model file"
        case .tensorShapeMismatch(let name, let expected, let found):
            return "tensor \(name) has shape \(found), expected \(expected)"
        case .corrupt(let why): return "GGUF file is corrupt: \(why)"
        case .contextFull(let limit): return "context is full: a sequence may hold at most \(limit) tokens"
        case .capacityTooLarge(let requested, let limit):
            return "requested a context of \(requested) tokens, but the model was trained for at most \(limit)"
        case .invalidToken(let t, let n): return "token id \(t) is outside the vocabulary (0..<\(n))"
        case .invalidArgument(let why): return why
        case .unsupportedCPU(let missing):
            return "this CPU lacks \(missing.joined(separator: ", ")), which the inference module was compiled for; rebuild it on this machine, or with OASST_PORTABLE_BUILD=1 for any x86-64"
        }
    }
}
