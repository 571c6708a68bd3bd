// swift-tools-version:6.0
import PackageDescription

let swiftSettings: [SwiftSetting] = [
  .enableUpcomingFeature("ExistentialAny"),
  .enableUpcomingFeature("MemberImportVisibility"),
  .enableUpcomingFeature("InternalImportsByDefault"),
]

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
    // Linux calls Swift cannot make directly (variadic prctl, wait-status macros).
    .target(name: "CSystem"),
    .target(
      name: "MPFHost",
      dependencies: ["CLua", "CYAML", "CSystem"],
      swiftSettings: swiftSettings
    ),
    .executableTarget(
      name: "mpf",
      dependencies: [
        "MPFHost",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      swiftSettings: swiftSettings
    ),
    .testTarget(
      name: "MPFHostTests",
      dependencies: ["MPFHost"],
      exclude: ["Fixtures"],
      swiftSettings: swiftSettings
    ),
    .testTarget(
      name: "MPFIntegrationTests",
      dependencies: ["MPFHost", "mpf"],
      exclude: ["Fixtures", "Golden"],
      swiftSettings: swiftSettings
    ),
  ]
)
