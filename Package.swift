// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "simrun",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "simrun", targets: ["simrun"]),
        .library(name: "SimKernel", targets: ["SimKernel"]),
        .library(name: "Scenarios", targets: ["Scenarios"]),
        .library(name: "SimAnalysis", targets: ["SimAnalysis"]),
        .library(name: "SimReport", targets: ["SimReport"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.14.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
    ],
    targets: [
        // The GNU Scientific Library, found through pkg-config (Debian: libgsl-dev).
        .systemLibrary(
            name: "CGSL",
            pkgConfig: "gsl",
            providers: [.apt(["libgsl-dev"]), .brew(["gsl"])]
        ),
        // ReadStat, the Stata and SPSS reader (Debian: libreadstat-dev, which ships no
        // pkg-config file: the module map links `readstat` by name).
        .systemLibrary(
            name: "CReadStat",
            providers: [.apt(["libreadstat-dev"]), .brew(["readstat"])]
        ),
        .target(
            name: "SimKernel",
            dependencies: ["CGSL", "CReadStat", .product(name: "Yams", package: "Yams")]
        ),
        .target(
            name: "Scenarios",
            dependencies: ["SimKernel"]
        ),
        // Requests, results and sessions shared by every front end (the CLI, the workshop page, sweeps):
        // the figures of a comparison are defined here once.
        .target(
            name: "SimAnalysis",
            dependencies: ["SimKernel", "Scenarios"]
        ),
        // The report pack's renderers (HTML, SVG charts, xlsx, CSV), written atomically.
        .target(
            name: "SimReport",
            dependencies: ["SimKernel", "SimAnalysis", .product(name: "ZIPFoundation", package: "ZIPFoundation")]
        ),
        .executableTarget(
            name: "simrun",
            dependencies: [
                "SimKernel", "Scenarios", "SimAnalysis", "SimReport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        .testTarget(name: "SimKernelTests", dependencies: ["SimKernel"]),
        .testTarget(name: "ScenariosTests", dependencies: ["Scenarios", "SimKernel"]),
        .testTarget(name: "EngineTests", dependencies: ["SimKernel", "Scenarios"]),
        .testTarget(name: "StatisticsTests", dependencies: ["SimKernel"]),
        .testTarget(name: "SimAnalysisTests", dependencies: ["SimAnalysis", "SimKernel", "Scenarios"]),
        .testTarget(
            name: "simrunTests",
            dependencies: [
                "simrun", "SimKernel", "Scenarios", "SimAnalysis", "SimReport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)

// scripts/test-tsan's build (SIMRUN_DETERMINISM_BUILD=1): only what its determinism tests need,
// the kernel, the modules and their tests, not the command-line tool and its web server (whose
// ThreadSanitizer build would double the step's time). The dependencies stay declared, so the
// resolved versions are the same as the full build's.
if Context.environment["SIMRUN_DETERMINISM_BUILD"] == "1" {
    let needed: Set<String> = ["CGSL", "CReadStat", "SimKernel", "Scenarios", "EngineTests", "StatisticsTests"]
    package.targets.removeAll { !needed.contains($0.name) }
    package.products.removeAll { !["SimKernel", "Scenarios"].contains($0.name) }
}
