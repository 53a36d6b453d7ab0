#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A read-only memory map of a whole file. The pages are loaded lazily by the OS and shared between
/// processes mapping the same file, which is why model weights are read where they lie. The one exception is
/// a Q8_0 output matrix, packed at load for the batched kernel (`PanelMatrix`), whose pages are then released.
final class MappedFile: @unchecked Sendable {
    let base: UnsafeRawPointer
    let size: Int

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
        guard let p = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), p != MAP_FAILED else {
            throw InferenceError.cannotOpen(path: path, reason: "mmap failed: " + String(cString: strerror(errno)))
        }
        base = UnsafeRawPointer(p)
    }

    deinit { munmap(UnsafeMutableRawPointer(mutating: base), size) }
}

extension MappedFile {
    /// Drops the whole pages inside `bytes` bytes from `start` from the process's resident memory. They
    /// stay mapped: touching them again reads them back from the file (or the page cache).
    static func release(_ start: UnsafeRawPointer, bytes: Int) {
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let lo = (Int(bitPattern: start) + page - 1) / page * page
        let hi = (Int(bitPattern: start) + bytes) / page * page
        guard hi > lo else { return }
        madvise(UnsafeMutableRawPointer(bitPattern: lo), hi - lo, MADV_DONTNEED)
    }
}
