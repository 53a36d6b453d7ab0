import Testing
@testable import Inference

@Suite struct CPUFeaturesTests {
    @Test func theBuildMachineRunsItsOwnKernels() {
        #expect(CPUFeatures.missing().isEmpty)
    }

    @Test func anOlderCPUIsNamedWhatItLacks() {
        let old = "processor\t: 0\nflags\t\t: fpu sse sse2 ssse3 sse4_1 sse4_2 popcnt\n"
        #expect(CPUFeatures.missing(cpuinfo: old) == CPUFeatures.compiledFor)
        let full = "flags\t\t: fpu sse2 " + CPUFeatures.compiledFor.joined(separator: " ") + "\n"
        #expect(CPUFeatures.missing(cpuinfo: full).isEmpty)
        if !CPUFeatures.compiledFor.isEmpty {
            #expect(InferenceError.unsupportedCPU(missing: ["avx2"]).description.contains("avx2"))
        }
    }
}
