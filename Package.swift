// swift-tools-version:6.0
import PackageDescription

// Release builds of the hot modules drop Swift's bounds checks: the kernels validate shapes
// once, up front, and are tested against scalar references in debug builds.
let hotLoopSettings: [SwiftSetting] = [
    .unsafeFlags(["-Ounchecked"], .when(configuration: .release)),
]

let package = Package(
    name: "BitBench",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "bitbench", targets: ["bitbench"]),
        .library(name: "BitBenchEngine", targets: ["GGUF", "Kernels", "Engine", "Synthetic", "Measurement", "Harness"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // System interfaces: thin C shims and system-library module maps.
        .target(name: "CPerfEvent", path: "Sources/CPerfEvent"),
        .systemLibrary(name: "CLibPFM", path: "Sources/CLibPFM"),
        .systemLibrary(name: "CLibNUMA", path: "Sources/CLibNUMA"),
        // Hot loops that need x86 instructions Swift cannot spell portably. Each x86 function
        // carries its own target attribute, so the target builds unchanged on ARM.
        .target(
            name: "CKernels",
            path: "Sources/CKernels",
            cSettings: [.unsafeFlags(["-O3", "-fno-math-errno"])]
        ),

        // The engine's attention, RoPE and activation loops in ggml's operation order (same
        // per-function target attributes as CKernels).
        .target(
            name: "CEngineKernels",
            path: "Sources/CEngineKernels",
            cSettings: [.unsafeFlags(["-O3", "-fno-math-errno", "-ffp-contract=off"])]
        ),
        .target(name: "GGUF"),
        .target(name: "TestSupport", path: "Sources/TestSupport"),
        .target(name: "Kernels", dependencies: ["GGUF", "CKernels"], swiftSettings: hotLoopSettings),
        .target(name: "Measurement", dependencies: ["CPerfEvent", "CLibPFM", "CLibNUMA"]),
        .target(name: "Engine", dependencies: ["GGUF", "Kernels", "CEngineKernels"], swiftSettings: hotLoopSettings),
        .target(name: "Synthetic", dependencies: ["GGUF", "Kernels", "Engine"], swiftSettings: hotLoopSettings),
        .target(name: "Harness", dependencies: ["GGUF", "Kernels", "Engine", "Synthetic", "Measurement"]),
        .executableTarget(
            name: "bitbench",
            dependencies: [
                "GGUF", "Kernels", "Engine", "Synthetic", "Measurement", "Harness",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        .testTarget(name: "GGUFTests", dependencies: ["TestSupport", "GGUF"]),
        .testTarget(name: "KernelsTests", dependencies: ["TestSupport", "Kernels", "GGUF"]),
        .testTarget(name: "MeasurementTests", dependencies: ["TestSupport", "Measurement"]),
        .testTarget(name: "EngineTests", dependencies: ["TestSupport", "Engine", "Kernels", "GGUF", "CEngineKernels"]),
        .testTarget(name: "SyntheticTests", dependencies: ["TestSupport", "Synthetic", "Engine", "Kernels", "GGUF"]),
        .testTarget(name: "HarnessTests", dependencies: ["TestSupport", "Harness"]),
    ],
    swiftLanguageModes: [.v5]
)
