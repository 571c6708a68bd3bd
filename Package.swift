// swift-tools-version:6.0
import PackageDescription

let swiftSettings: [SwiftSetting] = [
  .enableUpcomingFeature("ExistentialAny"),
  .enableUpcomingFeature("MemberImportVisibility"),
  .enableUpcomingFeature("InternalImportsByDefault"),
]

/// A library target of mpf: its folder under Sources/, what it may see, and nothing else.
func layer(_ name: String, _ dependencies: [Target.Dependency], resources: [Resource]? = nil) -> Target {
  .target(name: name, dependencies: dependencies, resources: resources, swiftSettings: swiftSettings)
}

// The layers, bottom up. A target sees only what it names: the compiler enforces the layering
// (docs/architecture.md draws it).
let package = Package(
  name: "mpf",
  products: [
    .executable(name: "mpf", targets: ["mpf"])
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2")
  ],
  targets: [
    // Debian's liblua5.4-dev, linked statically: headers, a shim for the macros, the error trampoline.
    .target(
      name: "CLua",
      cSettings: [.define("LUA_USE_LINUX")],
      linkerSettings: [.linkedLibrary(":liblua5.4.a"), .linkedLibrary("m")]
    ),
    // Debian's libyaml-dev, linked statically.
    .target(
      name: "CYAML",
      linkerSettings: [.linkedLibrary(":libyaml.a")]
    ),
    // Debian's libedit-dev (with libtinfo, libbsd, libmd), linked statically: mpf repl's line editing.
    .target(
      name: "CEdit",
      linkerSettings: [
        .linkedLibrary(":libedit.a"), .linkedLibrary(":libtinfo.a"), .linkedLibrary(":libbsd.a"), .linkedLibrary(":libmd.a"),
      ]
    ),
    // Linux calls Swift cannot make directly (variadic prctl, wait-status macros).
    .target(name: "CSystem"),
    // libFuzzer's driver, declared for mpf-fuzz (its symbol only in scripts/fuzz's build).
    .target(name: "CFuzz"),
    // Values, diagnostics, the experiment and run domain, the cluster model, system calls.
    layer("MPFCore", ["CSystem"]),
    // YAML reading and writing: the only importer of CYAML.
    layer("MPFYAML", ["MPFCore", "CYAML"]),
    // The Lua state and value conversions: the only importer of CLua.
    layer("MPFLua", ["MPFCore", "CLua"]),
    // The dataframe, experiment.yaml, the results directory. No transport, no Lua.
    layer("MPFResults", ["MPFCore", "MPFYAML"]),
    // Graphs drawn from a table: SVG, terminal, CSV + matplotlib. No Lua, no transport.
    layer("MPFGraphs", ["MPFCore", "MPFResults"]),
    // What people read of stored results: report.html, graphs of stored experiments, comparisons.
    layer("MPFReport", ["MPFCore", "MPFYAML", "MPFResults", "MPFGraphs"]),
    // The experiment script in a Lua state with mpf's library (lua/stdlib, embedded at build time).
    layer("MPFScript", ["MPFCore", "MPFLua"], resources: [.embedInCode("stdlib"), .embedInCode("types")]),
    // The cluster file, the worker protocol, the ways to start a worker (local, ssh, srun) and to deploy software.
    layer("MPFCluster", ["MPFCore", "MPFYAML"]),
    // `mpf worker`: runs functions, commands and their processes on a node.
    layer("MPFWorker", ["MPFCore", "MPFScript", "MPFCluster"]),
    // The controller: runs the script, orchestrates the workers, stores the results.
    layer("MPFHost", ["MPFCore", "MPFYAML", "MPFResults", "MPFGraphs", "MPFReport", "MPFScript", "MPFCluster", "MPFWorker", "CEdit"]),
    .executableTarget(
      name: "mpf",
      dependencies: [
        "MPFHost", "MPFCore", "MPFResults", "MPFGraphs", "MPFReport", "MPFCluster", "MPFWorker",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      swiftSettings: swiftSettings
    ),
    // The fuzzing harness: replays corpora here, runs libFuzzer when scripts/fuzz builds it.
    .executableTarget(
      name: "mpf-fuzz",
      dependencies: ["MPFCore", "MPFYAML", "MPFLua", "MPFResults", "MPFScript", "MPFCluster", "CFuzz"],
      swiftSettings: swiftSettings
    ),
    .testTarget(
      name: "MPFHostTests",
      dependencies: ["MPFCore", "MPFYAML", "MPFLua", "MPFResults", "MPFGraphs", "MPFReport", "MPFScript", "MPFCluster", "MPFWorker", "MPFHost"],
      swiftSettings: swiftSettings
    ),
    .testTarget(
      name: "MPFIntegrationTests",
      dependencies: ["MPFCore", "MPFYAML", "MPFResults", "MPFGraphs", "MPFReport", "MPFCluster", "MPFWorker", "MPFHost", "mpf"],
      exclude: ["Fixtures", "Golden", "Support"],
      swiftSettings: swiftSettings
    ),
  ]
)
