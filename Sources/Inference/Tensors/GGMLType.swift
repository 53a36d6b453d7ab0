/// Tensor element types of GGUF files that this module can compute with, with ggml's numbering.
public enum GGMLType: UInt32, Sendable, CustomStringConvertible {
    case f32 = 0, f16 = 1, q4_0 = 2, q5_0 = 6, q8_0 = 8, q4_K = 12, q5_K = 13, q6_K = 14, bf16 = 30

    /// Elements per block: rows must be a multiple of this.
    public var blockSize: Int {
        switch self {
        case .f32, .f16, .bf16: return 1
        case .q4_0, .q5_0, .q8_0: return 32
        case .q4_K, .q5_K, .q6_K: return 256
        }
    }

    /// Bytes per block (see ggml-common.h for the layouts, mirrored in the `Block*` comments).
    public var blockBytes: Int {
        switch self {
        case .f32: return 4
        case .f16, .bf16: return 2
        case .q4_0: return 18    // f16 d, 16 bytes of nibbles
        case .q5_0: return 22    // f16 d, 4 bytes of high bits, 16 bytes of nibbles
        case .q8_0: return 34    // f16 d, 32 int8
        case .q4_K: return 144   // f16 d, f16 dmin, 12 bytes of 6-bit scales/mins, 128 bytes of nibbles
        case .q5_K: return 176   // as q4_K plus 32 bytes of high bits
        case .q6_K: return 210   // 128 bytes low nibbles, 64 bytes high 2-bits, 16 int8 scales, f16 d
        }
    }

    /// Bytes of one row of `n` elements (n must be a multiple of `blockSize`).
    public func rowBytes(_ n: Int) -> Int { n / blockSize * blockBytes }

    public var description: String {
        switch self {
        case .f32: return "F32"
        case .f16: return "F16"
        case .bf16: return "BF16"
        case .q4_0: return "Q4_0"
        case .q5_0: return "Q5_0"
        case .q8_0: return "Q8_0"
        case .q4_K: return "Q4_K"
        case .q5_K: return "Q5_K"
        case .q6_K: return "Q6_K"
        }
    }
}
