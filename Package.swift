// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "effsim",
    // Synchronization's Mutex and Atomic (the sampler's workers, the results folder lock) need macOS 15.
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "effsim", targets: ["effsim"]),
        .library(name: "EffSim", targets: ["EffSim"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // `make docs`: the DocC catalog in Sources/EffSim/EffSim.docc. A plugin only; nothing links it.
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
        // `effsim serve`'s HTTP server: small and without SwiftNIO (see Guides/Serve.md for the measured choice).
        .package(url: "https://github.com/swhitty/FlyingFox", from: "0.27.0"),
    ],
    targets: [
        // GNU GSL through its C headers; pkg-config supplies -lgsl -lgslcblas -lm.
        .systemLibrary(
            name: "CGSL",
            pkgConfig: "gsl",
            providers: [.apt(["libgsl-dev"]), .brew(["gsl"])]
        ),
        // Philox4x32-10 and its block draws (uniforms, Box–Muller normals), in C so that the
        // lanes vectorise: SSE2 on any x86-64, AVX2 chosen at run time. Small and commented.
        .target(
            name: "CPhilox",
            dependencies: ["CGSL"]
        ),
        // The sampling loop's binning kernel: a conversion to a bin index without Swift's
        // overflow trap (the range is checked in doubles first).
        .target(name: "CBinning"),
        // taus2 and GSL's ziggurat normals a block at a time, the same numbers as GSL's calls
        // without a library call per draw (the default generator's sampling loop).
        .target(
            name: "CTaus",
            dependencies: ["CGSL"]
        ),
        // The library, in the order the data flows; each target depends only on those before it,
        // so a lower layer that reaches for a higher one fails to build (Guides/Developing.md).
        // Basics every layer uses: JSON values and their parser, validation issues, quoting of
        // user text, number formatting, GSL's process set-up, the version.
        .target(
            name: "EffSimCore",
            dependencies: ["CGSL"]
        ),
        // What a scenario is: the file's reader and rules, expressions and units, distributions.
        .target(
            name: "EffSimModel",
            dependencies: ["EffSimCore", "CGSL"]
        ),
        // Drawing and counting: random streams, the engine and its workers, the mergeable
        // per-metric statistics and the summary rows.
        .target(
            name: "EffSimSampling",
            dependencies: ["EffSimCore", "EffSimModel", "CGSL", "CPhilox", "CBinning", "CTaus"]
        ),
        // What is made of the statistics: analyses (precision, compare, sweeps, sensitivity),
        // the files of a results folder and how it is written, the report.
        .target(
            name: "EffSimResults",
            dependencies: ["EffSimCore", "EffSimModel", "EffSimSampling", "CGSL"]
        ),
        // One import for users of the library: re-exports the four layers.
        .target(
            name: "EffSim",
            dependencies: ["EffSimCore", "EffSimModel", "EffSimSampling", "EffSimResults"]
        ),
        // `effsim serve`: the JSON API over EffSim and the page (plain HTML, CSS and JavaScript,
        // embedded in the binary). Its own target keeps the server library out of EffSim.
        .target(
            name: "EffSimServe",
            dependencies: ["EffSim", .product(name: "FlyingFox", package: "FlyingFox")],
            resources: [.embedInCode("Page/index.html"), .embedInCode("Page/page.css"), .embedInCode("Page/page.js")]
        ),
        // A thin command-line front end over EffSim.
        .executableTarget(
            name: "effsim",
            dependencies: [
                "EffSim",
                "EffSimServe",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "EffSimTests",
            dependencies: ["EffSim", "EffSimServe", "CGSL", "CPhilox", "CTaus", "effsim",
                           .product(name: "FlyingFox", package: "FlyingFox")]
        ),
    ]
)
