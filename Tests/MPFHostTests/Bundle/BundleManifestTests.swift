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

  /// A role's counts must be whole numbers of a sane size, said as such (a negative one said
  /// "a role needs a name and machines").
  @Test(arguments: ["-1", "1.5", "abc", "100001", "[1]"])
  func aRoleCountThatIsNotACountIsRefused(count: String) {
    let text = Self.manifest().replacing("machines: 1", with: "machines: \(count)")
    #expect(throws: TarProblem("manifest:4", "machines must be a whole number from 0 to 100000, not \(count == "[1]" ? "a list or a map" : count)")) {
      try BundleManifest.parse(text)
    }
  }

  /// A software's kind is git or dir, and a commit is what git names one by: a kind `evil`
  /// passed, and a commit `$(touch x)` was stored in the replay's experiment.yaml.
  @Test func aSoftwareOfAnotherKindOrACommitThatIsNotOneIsRefused() throws {
    func software(kind: String, commit: String) -> String {
      Self.manifest() + "software:\n- name: p\n  kind: \(kind)\n  builds:\n  - {key: default, folder: software/p/x, commit: '\(commit)'}\n"
    }
    let good = String(repeating: "0123456789", count: 4)
    #expect(try BundleManifest.parse(software(kind: "git", commit: good)).software.first?.builds.first?.commit == good)
    #expect(throws: TarProblem("manifest:9", "software 'p': kind must be git or dir, not evil")) { try BundleManifest.parse(software(kind: "evil", commit: good)) }
    for commit in ["$(touch x)", "main", String(good.prefix(39)), good.uppercased() + "", good + "0"] where commit != good {
      #expect(throws: TarProblem("manifest:11", "software 'p' build default: commit must be 40 or 64 hex digits, not \(commit)")) {
        try BundleManifest.parse(software(kind: "git", commit: commit))
      }
    }
  }
}
