#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A TCP listener on 127.0.0.1 that never accepts or writes: the kernel completes the handshake into
/// the backlog, so a client connects fine and then hears nothing — the "silent server" case.
final class SilentListener {
    let port: Int
    private let fd: Int32

    init() throws {
        (fd, port) = try bindLoopback()
        guard listen(fd, 16) == 0 else { throw ListenerError(call: "listen") }
    }

    deinit { close(fd) }
}

/// A loopback port nothing listens on: bound to get a free number, then closed again.
func closedPort() throws -> Int {
    let (fd, port) = try bindLoopback()
    close(fd)
    return port
}

struct ListenerError: Error {
    var call: String
}

private func bindLoopback() throws -> (Int32, Int) {
    #if canImport(Glibc)
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    #else
    let fd = socket(AF_INET, SOCK_STREAM, 0)
    #endif
    guard fd >= 0 else { throw ListenerError(call: "socket") }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = 0
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { sa in
            bind(fd, sa, length) == 0 && getsockname(fd, sa, &length) == 0
        }
    }
    guard bound else { close(fd); throw ListenerError(call: "bind") }
    return (fd, Int(UInt16(bigEndian: address.sin_port)))
}
