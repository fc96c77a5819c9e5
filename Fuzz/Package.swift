// swift-tools-version:6.0
// The fuzzing package: libFuzzer targets for simrun's readers, kept apart so
// that their instrumented build never slows the main one. Build and run them
// with scripts/fuzz (see docs/fuzzing.md); a plain `swift build` here gives
// executables without coverage instrumentation, which libFuzzer cannot drive.
import PackageDescription

let package = Package(
    name: "SimrunFuzz",
    platforms: [.macOS(.v13)],
    dependencies: [.package(name: "simrun", path: "..")],
    targets: [
        // What every target shares: the per-process scratch folder, the small
        // population runs are simulated on, and the reader bodies.
        .target(
            name: "FuzzSupport",
            dependencies: [
                .product(name: "SimKernel", package: "simrun"),
                .product(name: "Scenarios", package: "simrun"),
                .product(name: "SimAnalysis", package: "simrun"),
                .product(name: "SimReport", package: "simrun"),
            ]
        ),
        // One executable per reader; each file only exports LLVMFuzzerTestOneInput
        // (libFuzzer's `main` drives it).
        .executableTarget(name: "FuzzCSV", dependencies: ["FuzzSupport"]),
        .executableTarget(name: "FuzzYAML", dependencies: ["FuzzSupport"]),
        .executableTarget(name: "FuzzSimdata", dependencies: ["FuzzSupport"]),
        .executableTarget(name: "FuzzCases", dependencies: ["FuzzSupport"]),
        .executableTarget(name: "FuzzStata", dependencies: ["FuzzSupport"]),
        .executableTarget(name: "FuzzRecipe", dependencies: ["FuzzSupport"]),
        .executableTarget(name: "FuzzSweep", dependencies: ["FuzzSupport"]),
        .executableTarget(name: "FuzzSweepResult", dependencies: ["FuzzSupport"]),
        .executableTarget(name: "FuzzRecords", dependencies: ["FuzzSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
