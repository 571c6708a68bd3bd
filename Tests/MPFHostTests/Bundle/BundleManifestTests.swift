import Testing
import MPFHost

/// A bundle's manifest as `mpf replay` reads it: hostile, refused with what is wrong.
@Suite struct BundleManifestTests {
  static let sha = String(repeating: "a", count: 64)

  static func manifest(id: String = "0123abcd", files: [String] = ["experiment/x"], roles: [String] = ["node"]) -> String {
    """
    format: mpf-bundle/1
    experiment: {id: "\(id)"}
    roles:
    \(roles.map { "- {name: \($0), machines: 1, spares: 0}" }.joined(separator: "\n"))
    files:
    \(files.map { "- {path: \($0), size: 1, sha256: \(sha)}" }.joined(separator: "\n"))

    """
  }

  @Test func aManifestAsMpfWritesItIsRead() throws {
    let manifest = try BundleManifest.parse(Self.manifest(files: ["experiment/x", "experiment/y"], roles: ["a", "b"]))
    #expect(manifest.id == "0123abcd" && manifest.files.map(\.path) == ["experiment/x", "experiment/y"] && manifest.roles.map(\.name) == ["a", "b"])
  }

  /// The id must be what mpf writes: an empty one, or another shape, is refused.
  @Test(arguments: ["", "0123ABCD", "0123abc", "0123abcde", "../x"])
  func anIdThatIsNotAnExperimentsIsRefused(id: String) {
    #expect(throws: TarProblem("manifest:2", "experiment.id must be an experiment's id as mpf writes it (8 hex digits)")) {
      try BundleManifest.parse(Self.manifest(id: id))
    }
  }

  @Test func aFileOrARoleListedTwiceIsRefused() {
    #expect(throws: TarProblem("manifest:8", "file experiment/x is listed twice")) {
      try BundleManifest.parse(Self.manifest(files: ["experiment/x", "experiment/y", "experiment/x"]))
    }
    #expect(throws: TarProblem("manifest:5", "role 'a' is listed twice")) { try BundleManifest.parse(Self.manifest(roles: ["a", "a"])) }
  }
}
