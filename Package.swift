// swift-tools-version:6.1
import PackageDescription

import Foundation

// Numeric code is tens of times slower unoptimised; the model kernels are always built with -O,
// so `swift test` (a debug build) still runs the model tests in minutes.
let optimisedAlways: [SwiftSetting] = [.unsafeFlags(["-O"])]

// The quantized kernels run about twice as fast with AVX2/FMA (or AVX-512 VNNI) as with baseline x86-64.
// Like llama.cpp's native builds, the Inference target is compiled for the instruction set of the machine
// that builds it, read from /proc/cpuinfo; OASST_PORTABLE_BUILD=1 builds for any x86-64 instead. At load the
// module checks that the running CPU has what it was compiled for (`CPUFeatures`), so a binary moved to an
// older machine stops with an error instead of an illegal instruction.
func buildMachineCPU() -> String? {
    #if arch(x86_64) && os(Linux)
    guard ProcessInfo.processInfo.environment["OASST_PORTABLE_BUILD"] == nil,
          let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
          let line = info.split(separator: "\n").first(where: { $0.hasPrefix("flags") }) else { return nil }
    let flags = Set(line.split(separator: " ").map(String.init))
    let v3 = ["avx", "avx2", "fma", "f16c", "bmi1", "bmi2", "movbe", "abm"]
    let vnni512 = v3 + ["avx512f", "avx512bw", "avx512vl", "avx512dq", "avx512cd", "avx512_vnni"]
    if vnni512.allSatisfy(flags.contains) { return "cascadelake" }
    if v3.allSatisfy(flags.contains) { return "x86-64-v3" }
    #endif
    return nil
}
let inferenceSettings: [SwiftSetting] = optimisedAlways + (buildMachineCPU().map { cpu in
    [.unsafeFlags(["-target-cpu", cpu]), .define("OASST_CPU_" + cpu.replacingOccurrences(of: "-", with: "_").uppercased())]
} ?? [])

let package = Package(
    name: "oasst",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "oasst", targets: ["oasst"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
    ],
    targets: [
        // C libraries from Debian, found through pkg-config (.pc files ship in the -dev packages).
        .systemLibrary(name: "CCmark", pkgConfig: "libcmark", providers: [.apt(["libcmark-dev"])]),
        .systemLibrary(name: "COpenBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        // A header-only module for the cache prefetch hint, which Swift cannot spell.
        .systemLibrary(name: "CPrefetch"),

        .target(name: "Feedback"),
        .target(
            name: "Storage",
            dependencies: [
                "Feedback", "CZlib",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Metrics", package: "swift-metrics"),
            ]
        ),
        .target(
            name: "Mail",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOExtras", package: "swift-nio-extras"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "Inference",
            dependencies: [
                "COpenBLAS", "CPrefetch",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            swiftSettings: inferenceSettings
        ),
        .target(
            name: "Web",
            dependencies: [
                "CCmark", "Feedback", "Storage", "Mail", "Inference",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .executableTarget(
            name: "oasst",
            dependencies: [
                "Web", "Storage", "Inference", "Feedback", "Mail",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),

        .testTarget(name: "FeedbackTests", dependencies: ["Feedback"]),
        // Helpers the test suites share (a database of their own per suite); never linked into the server.
        .target(
            name: "TestSupport",
            dependencies: [
                "Storage", .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
            ],
            path: "Tests/TestSupport"
        ),
        .testTarget(name: "StorageTests", dependencies: ["Storage", "Feedback", "TestSupport"]),
        .testTarget(
            name: "MailTests",
            dependencies: [
                "Mail", .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
            ]
        ),
        .testTarget(name: "InferenceTests", dependencies: ["Inference"], swiftSettings: optimisedAlways),
        .testTarget(
            name: "WebTests",
            dependencies: [
                "Web", "Storage", "Mail", "Feedback", "Inference", "TestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
    ]
)
