// swift-tools-version:6.0
// The benchmark package: kept apart so its build never slows the main one.
import PackageDescription

let package = Package(
    name: "SimrunBenchmarks",
    platforms: [.macOS(.v13)],
    dependencies: [.package(name: "simrun", path: "..")],
    targets: [
        .executableTarget(
            name: "SimrunBenchmarks",
            dependencies: [
                .product(name: "SimKernel", package: "simrun"),
                .product(name: "Scenarios", package: "simrun"),
            ]
        ),
        // One changed option recomputed on a loaded survey (AnalysisSession): the workshop page's and sweep's core.
        .executableTarget(
            name: "SessionBenchmark",
            dependencies: [
                .product(name: "SimKernel", package: "simrun"),
                .product(name: "Scenarios", package: "simrun"),
                .product(name: "SimAnalysis", package: "simrun"),
            ]
        ),
        // WelfareAnalysis.compare (poverty by age group, gains by decile) cold and with a cached baseline.
        .executableTarget(
            name: "WelfareBenchmark",
            dependencies: [.product(name: "SimKernel", package: "simrun")]
        ),
        // simrun's Stata reader on one file (Benchmarks/stata/read_stata.py times it against pandas.read_stata).
        .executableTarget(
            name: "ReadStatBenchmark",
            dependencies: [.product(name: "SimKernel", package: "simrun")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
