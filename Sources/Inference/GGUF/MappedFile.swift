#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A whole file in memory, read once into anonymous memory backed by 2 MiB pages where the kernel
/// allows them (transparent huge pages on `madvise`). A decode step streams every weight from memory;
/// through a file mapping's 4 KiB pages that means a TLB miss and a restart of the hardware prefetcher
/// every 4 KiB. Resident memory stays what the mapping would have used once every page was touched.
final class MappedFile: @unchecked Sendable {
    let base: UnsafeRawPointer
    let size: Int
    /// The anonymous region holding `base` (aligned up to a huge page inside it).
    private let region: UnsafeMutableRawPointer
    private let regionSize: Int
    static let hugePage = 2 << 20

    init(path: String) throws {
        let fd = open(path, O_RDONLY)
        if fd < 0 {
            let err = errno
            if err == ENOENT { throw InferenceError.fileNotFound(path: path) }
            throw InferenceError.cannotOpen(path: path, reason: String(cString: strerror(err)))
        }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else {
            throw InferenceError.cannotOpen(path: path, reason: String(cString: strerror(errno)))
        }
        guard (st.st_mode & S_IFMT) == S_IFREG else {
            throw InferenceError.cannotOpen(path: path, reason: "not a regular file")
        }
        size = Int(st.st_size)
        guard size > 0 else { throw InferenceError.truncated(what: "header", offset: 0) }
        regionSize = size + Self.hugePage
        guard let r = mmap(nil, regionSize, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), r != MAP_FAILED else {
            throw InferenceError.cannotOpen(path: path, reason: "mmap failed: " + String(cString: strerror(errno)))
        }
        region = r
        let aligned = (Int(bitPattern: r) + Self.hugePage - 1) / Self.hugePage * Self.hugePage
        let start = UnsafeMutableRawPointer(bitPattern: aligned)!
        #if os(Linux)
        _ = madvise(start, size, MADV_HUGEPAGE)  // only advice: without huge pages the copy still works
        #endif
        var done = 0
        while done < size {
            let n = pread(fd, start + done, min(size - done, 1 << 24), off_t(done))
            if n <= 0 {
                let reason = n == 0 ? "file shrank while reading" : String(cString: strerror(errno))
                munmap(r, regionSize)
                throw InferenceError.cannotOpen(path: path, reason: reason)
            }
            done += n
        }
        base = UnsafeRawPointer(start)
    }

    deinit { munmap(region, regionSize) }
}
