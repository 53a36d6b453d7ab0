import COpenBLAS

/// OpenBLAS settings. The kernel choice (OPENBLAS_CORETYPE) must be in the environment before the
/// process starts; only the thread count can be changed from here.
enum BLAS {
    static func setThreads(_ n: Int) { openblas_set_num_threads(Int32(n)) }

    /// Name of the kernel OpenBLAS picked ("SkylakeX", "Haswell", or the slow "Prescott" fallback).
    static var coreName: String {
        guard let p = openblas_get_corename() else { return "unknown" }
        return String(cString: p)
    }
}
