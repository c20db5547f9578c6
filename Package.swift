// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "context-sync",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "context-sync", targets: ["context-sync"]),
        .library(name: "ContextSyncCore", targets: ["ContextSyncCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
    ],
    targets: [
        .systemLibrary(
            name: "Clibgit2",
            pkgConfig: "libgit2",
            providers: [.apt(["libgit2-dev"]), .brew(["libgit2"])]
        ),
        .target(
            name: "ContextSyncCore",
            dependencies: [
                "Clibgit2",
                .product(name: "TOMLKit", package: "TOMLKit"),
            ]
        ),
        .executableTarget(
            name: "context-sync",
            dependencies: [
                "ContextSyncCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Helpers both test targets share (temporary directories, git, transcript builders);
        // a plain target so it needs no test framework.
        .target(
            name: "ContextSyncTestSupport",
            dependencies: ["ContextSyncCore"],
            path: "Tests/Support"
        ),
        .testTarget(
            name: "ContextSyncCoreTests",
            dependencies: ["ContextSyncCore", "ContextSyncTestSupport"],
            path: "Tests/ContextSyncCoreTests"
        ),
        .testTarget(
            name: "ContextSyncCLITests",
            dependencies: ["ContextSyncCore", "ContextSyncTestSupport", "context-sync"],
            path: "Tests/ContextSyncCLITests"
        ),
    ]
)
