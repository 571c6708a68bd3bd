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

/// The unit tests of one module: Tests/NAME, seeing only what it names.
func unitTests(_ name: String, _ dependencies: [Target.Dependency]) -> Target {
  .testTarget(name: name, dependencies: dependencies, swiftSettings: swiftSettings)
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
    // The system layer: descriptors, files (never following a link), processes, signals,
    // threads, time, libm, and the bounds every number crosses on its way in. The only importer of Glibc.
    layer("MPFSystem", ["CSystem"]),
    // Text as it leaves mpf: one quoting function per target (Python, CSV, markup, shell,
    // terminal), number formatting, SHA-256.
    layer("MPFText", ["MPFSystem"]),
    // The domain: values, diagnostics, variables, designs and plans, runs and their records, the cluster model.
    layer("MPFCore", ["MPFSystem", "MPFText"]),
    // YAML reading and writing: the only importer of CYAML.
    layer("MPFYAML", ["MPFCore", "CYAML"]),
    // The Lua state and value conversions: the only importer of CLua.
    layer("MPFLua", ["MPFCore", "CLua"]),
    // The dataframe, experiment.yaml, the results directory. No transport, no Lua.
    layer("MPFResults", ["MPFCore", "MPFSystem", "MPFText", "MPFYAML"]),
    // Graphs drawn from a table: SVG, terminal, CSV + matplotlib. No Lua, no transport.
    layer("MPFGraphs", ["MPFCore", "MPFSystem", "MPFText", "MPFResults"]),
    // What people read of stored results: report.html, graphs of stored experiments, comparisons.
    layer("MPFReport", ["MPFCore", "MPFSystem", "MPFText", "MPFYAML", "MPFResults", "MPFGraphs"], resources: [.embedInCode("Assets")]),
    // The experiment script in a Lua state with mpf's library (lua/stdlib, embedded at build time).
    layer("MPFScript", ["MPFCore", "MPFSystem", "MPFText", "MPFLua"], resources: [.embedInCode("stdlib"), .embedInCode("types")]),
    // The cluster file, the worker protocol, the ways to start a worker (local, ssh, srun) and to deploy software.
    layer("MPFCluster", ["MPFCore", "MPFSystem", "MPFText", "MPFYAML"]),
    // `mpf worker`: runs functions, commands and their processes on a node.
    layer("MPFWorker", ["MPFCore", "MPFSystem", "MPFText", "MPFScript", "MPFCluster"]),
    // The controller: runs the script, orchestrates the workers, stores the results.
    layer("MPFHost", ["MPFCore", "MPFSystem", "MPFText", "MPFYAML", "MPFResults", "MPFGraphs", "MPFReport", "MPFScript", "MPFCluster", "MPFWorker", "CEdit"]),
    .executableTarget(
      name: "mpf",
      dependencies: [
        "MPFHost", "MPFSystem", "MPFText", "MPFCore", "MPFResults", "MPFGraphs", "MPFReport", "MPFCluster", "MPFWorker",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      swiftSettings: swiftSettings
    ),
    // The fuzzing harness: replays corpora here, runs libFuzzer when scripts/fuzz builds it.
    .executableTarget(
      name: "mpf-fuzz",
      dependencies: ["MPFSystem", "MPFCore", "MPFYAML", "MPFLua", "MPFResults", "MPFScript", "MPFCluster", "MPFHost", "CFuzz"],
      swiftSettings: swiftSettings
    ),
    // Support for the tests: a worker inside the test process, scripts run as a controller.
    .target(
      name: "MPFTestSupport",
      dependencies: ["MPFSystem", "MPFCore", "MPFScript", "MPFCluster", "MPFWorker"],
      path: "Tests/MPFTestSupport",
      swiftSettings: swiftSettings
    ),
    // A clock tests step instead of sleeping (PollClock's manual time).
    .target(name: "MPFTestClock", dependencies: ["MPFSystem"], path: "Tests/MPFTestClock", swiftSettings: swiftSettings),
    // One unit-test target per module, seeing that module and what it stands on.
    unitTests("MPFSystemTests", ["MPFSystem", "MPFTestClock"]),
    unitTests("MPFTextTests", ["MPFSystem", "MPFText"]),
    unitTests("MPFCoreTests", ["MPFSystem", "MPFText", "MPFCore"]),
    unitTests("MPFYAMLTests", ["MPFSystem", "MPFText", "MPFCore", "MPFYAML"]),
    unitTests("MPFLuaTests", ["MPFSystem", "MPFText", "MPFCore", "MPFLua"]),
    unitTests("MPFResultsTests", ["MPFSystem", "MPFText", "MPFCore", "MPFYAML", "MPFResults"]),
    unitTests("MPFGraphsTests", ["MPFSystem", "MPFText", "MPFCore", "MPFResults", "MPFGraphs"]),
    unitTests("MPFReportTests", ["MPFSystem", "MPFText", "MPFCore", "MPFYAML", "MPFResults", "MPFGraphs", "MPFReport"]),
    unitTests("MPFScriptTests", ["MPFSystem", "MPFText", "MPFCore", "MPFLua", "MPFScript", "MPFWorker", "MPFTestSupport"]),
    unitTests("MPFClusterTests", ["MPFSystem", "MPFText", "MPFCore", "MPFYAML", "MPFCluster", "MPFTestClock"]),
    unitTests("MPFWorkerTests", ["MPFSystem", "MPFText", "MPFCore", "MPFScript", "MPFCluster", "MPFWorker", "MPFTestClock"]),
    unitTests("MPFHostTests", ["MPFSystem", "MPFText", "MPFCore", "MPFYAML", "MPFLua", "MPFResults", "MPFGraphs", "MPFReport", "MPFScript", "MPFCluster", "MPFWorker", "MPFHost", "MPFTestSupport"]),
    .testTarget(
      name: "MPFIntegrationTests",
      dependencies: ["MPFSystem", "MPFText", "MPFCore", "MPFYAML", "MPFResults", "MPFGraphs", "MPFReport", "MPFCluster", "MPFWorker", "MPFHost", "mpf"],
      exclude: ["Fixtures", "Golden", "Support"],
      swiftSettings: swiftSettings
    ),
  ]
)
