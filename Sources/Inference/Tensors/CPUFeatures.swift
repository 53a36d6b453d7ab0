import Foundation

/// The instruction-set extensions this module was compiled for. Package.swift compiles the Inference
/// target for the CPU of the machine that builds it (AVX2/FMA, or AVX-512 with VNNI), because the
/// quantized kernels are arithmetic-bound; a binary copied to an older CPU must say so rather than die
/// of an illegal instruction in the middle of a reply.
enum CPUFeatures {
    #if OASST_CPU_CASCADELAKE
    static let compiledFor = ["avx", "avx2", "fma", "f16c", "bmi2", "avx512f", "avx512bw", "avx512vl", "avx512dq", "avx512_vnni"]
    #elseif OASST_CPU_X86_64_V3
    static let compiledFor = ["avx", "avx2", "fma", "f16c", "bmi2"]
    #else
    static let compiledFor: [String] = []
    #endif

    /// The compiled-for extensions the running CPU lacks, by their /proc/cpuinfo names.
    static func missing(cpuinfo: String? = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) -> [String] {
        guard !compiledFor.isEmpty,
              let line = cpuinfo?.split(separator: "\n").first(where: { $0.hasPrefix("flags") }) else { return [] }
        let present = Set(line.split(separator: " ").map(String.init))
        return compiledFor.filter { !present.contains($0) }
    }

    /// Throws `InferenceError.unsupportedCPU` when this CPU cannot run the compiled kernels.
    static func check() throws {
        let lacking = missing()
        guard lacking.isEmpty else { throw InferenceError.unsupportedCPU(missing: lacking) }
    }
}
