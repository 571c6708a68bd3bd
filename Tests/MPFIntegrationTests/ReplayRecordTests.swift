import MPFSystem
import MPFText
import MPFYAML
import Testing

/// A replay runs what the original recorded, or nothing: a bundle whose files agree with its
/// manifest but not with its experiment.yaml (the script's or a module's SHA-256, the roles) is
/// refused before the script runs; a module found along package.path that is not the original's
/// stops it before any run; a plan that differs is said. And what a replay records and says
/// names the original script or the bundle, never the private folder it was unpacked in.
@Suite struct ReplayRecordTests {
  static let script = """
    local helpers = require 'helpers'
    local far = require 'far'
    local odd = os.getenv('ODD') and require 'far away' or {k = 100}
    if os.getenv('TOP_FAIL') then error('top boom') end
    mpf.add_variable('x', os.getenv('WIDE') and {1, 2, 3} or {1, 2})
    mpf.run{role = 'node'}(function(ctx, x)
      if os.getenv('RUN_FAIL') then error('run boom') end
      return {value = helpers.twice(x) + far.k + odd.k}
    end)
    mpf.run_experiment{n_runs = 1}

    """

  /// The original, run and exported from `dir`, then deleted: only the bundle is left. Its
  /// modules: `helpers` beside the script, `far` and `far away` from `dir/lib` along LUA_PATH
  /// (outside the script's folder; the second's name cannot be a file's, so it is not stored:
  /// required only with ODD set in `environment`).
  static func exported(in dir: String, environment: [String] = []) async throws -> (bundle: String, id: String, exportErr: String) {
    try FileSystem.createDirectory(FileSystem.join(dir, "exp"))
    try FileSystem.createDirectory(FileSystem.join(dir, "lib"))
    try FileSystem.writeAtomically(FileSystem.join(dir, "exp/tiny.lua"), Array(script.utf8))
    try FileSystem.writeAtomically(FileSystem.join(dir, "exp/helpers.lua"), Array("return {twice = function(x) return 2 * x end}\n".utf8))
    try FileSystem.writeAtomically(FileSystem.join(dir, "lib/far.lua"), Array("return {k = 10}\n".utf8))
    try FileSystem.writeAtomically(FileSystem.join(dir, "lib/far away.lua"), Array("return {k = 100}\n".utf8))
    let env = ["env", "LUA_PATH=\(dir)/lib/?.lua;;"] + environment
    let run = try await MPFCommand.run(["exp/tiny.lua", "-q"], in: dir, prefix: env)
    #expect(run.status == 0, "\(run.stderr)")
    let original = try #require(MPFCommand.experimentDirectory(in: dir))
    // A module from elsewhere is kept with the results, by its require name.
    #expect(try FileSystem.readString(FileSystem.join(original, "mpf-modules/far.lua")) == "return {k = 10}\n")
    #expect(try FileSystem.readString(FileSystem.join(original, "helpers.lua")).hasPrefix("return {twice"))
    let export = try await MPFCommand.run(["export", original, "-o", "tiny.tar.gz"], in: dir, prefix: env)
    #expect(export.status == 0, "\(export.stderr)")
    FileSystem.removeTree(FileSystem.join(dir, "mpf_experiments"))
    FileSystem.removeTree(FileSystem.join(dir, "exp"))
    return (FileSystem.join(dir, "tiny.tar.gz"), FileSystem.basename(original), export.stderr)
  }

  /// Edits the bundle's `experiment/NAME` (nil: removes it, and its manifest line), the manifest
  /// made to match, so that only the check against experiment.yaml can tell.
  static func editing(_ bundle: String, _ name: String, into target: String, _ change: ((String) -> String)?) async throws {
    try await ReplayTests.edit(bundle, into: target) { root in
      let file = FileSystem.join(root, "experiment/\(name)")
      if let change {
        try FileSystem.writeAtomically(file, Array(change(try FileSystem.readString(file)).utf8))
      } else {
        FileSystem.removeFile(file)
        let manifest = FileSystem.join(root, "manifest")
        let kept = try FileSystem.readString(manifest).lines().filter { !$0.hasPrefix("- {path: experiment/\(name),") }
        try FileSystem.writeAtomically(manifest, Array(kept.joined(separator: "\n").utf8))
      }
      return true
    }
  }

  @Test(.timeLimit(.minutes(2))) func aBundleThatIsNotWhatRanIsRefusedBeforeTheScriptRuns() async throws {
    let dir = MPFCommand.temporaryDirectory()
    let (bundle, id, exportErr) = try await Self.exported(in: dir)
    #expect(exportErr.isEmpty, "\(exportErr)")
    let marker = FileSystem.join(dir, "ran")
    let top = "mpf-bundle-\(id)"
    let cases: [(file: String, change: ((String) -> String)?, said: String)] = [
      ("tiny.lua", { "ex('touch \(marker)')\n" + $0 }, "\(top)/experiment/tiny.lua: it is not what ran: its SHA-256 differs from what experiment.yaml records"),
      ("helpers.lua", { "ex('touch \(marker)')\n" + $0 }, "\(top)/experiment/helpers.lua: it is not what ran"),
      ("helpers.lua", nil, "\(top)/experiment/helpers.lua: it is missing: experiment.yaml records it as the script or one of its modules"),
      ("mpf-modules/far.lua", { "ex('touch \(marker)')\n" + $0 }, "\(top)/experiment/mpf-modules/far.lua: it is not what ran"),
      ("tiny.lua", nil, "\(top)/experiment/tiny.lua: it is missing"),
      // experiment.yaml's record of a module's hash changed (the file is as it was).
      ("experiment.yaml", { $0.replacing(/sha256: [0-9a-f]{64}}/, with: "sha256: \(String(repeating: "0", count: 64))}") },
        "\(top)/experiment/mpf-modules/far.lua: it is not what ran"),
    ]
    for (index, item) in cases.enumerated() {
      let target = FileSystem.join(dir, "case\(index).tar.gz")
      try await Self.editing(bundle, item.file, into: target, item.change)
      let result = try await MPFCommand.run(["replay", "case\(index).tar.gz"], in: dir, prefix: ["env", "LUA_PATH=\(dir)/lib/?.lua;;"])
      #expect(result.status == 1, "case \(index): \(result.stderr)")
      #expect(result.stderr.hasPrefix("case\(index).tar.gz: error: refused: \(item.said)"), "case \(index): \(result.stderr)")
      #expect(result.stderr.contains("note: nothing in the bundle was run"), "case \(index): \(result.stderr)")
      #expect(!result.stderr.contains("usage:") && !result.stderr.contains("mpf-replay"), "case \(index): \(result.stderr)")
      #expect(!FileSystem.exists(marker) && !FileSystem.exists(FileSystem.join(dir, "mpf_experiments")), "case \(index)")
    }
    // The record of the whole (script.sha256) changed: refused as the script's.
    try await Self.editing(bundle, "experiment.yaml", into: FileSystem.join(dir, "whole.tar.gz")) {
      $0.replacing(/\n  sha256: [0-9a-f]{64}\n/, with: "\n  sha256: \(String(repeating: "1", count: 64))\n")
    }
    let whole = try await MPFCommand.run(["replay", "whole.tar.gz"], in: dir)
    #expect(whole.status == 1, "\(whole.stderr)")
    #expect(whole.stderr.hasPrefix("whole.tar.gz: error: refused: \(top)/experiment/tiny.lua: it is not what ran"), "\(whole.stderr)")
    #expect(!FileSystem.exists(FileSystem.join(dir, "mpf_experiments")))
    // The manifest's roles renamed: they are what a cluster is checked against.
    try await ReplayTests.edit(bundle, into: FileSystem.join(dir, "roles.tar.gz")) { root in
      let manifest = FileSystem.join(root, "manifest")
      let text = try FileSystem.readString(manifest)
      try FileSystem.writeAtomically(manifest, Array(text.replacing("{name: node,", with: "{name: other,").utf8))
      return false
    }
    let roles = try await MPFCommand.run(["replay", "roles.tar.gz"], in: dir)
    #expect(roles.status == 1, "\(roles.stderr)")
    #expect(roles.stderr.hasPrefix("roles.tar.gz: error: refused: \(top)/manifest: its roles (other (1)) are not those experiment.yaml records (node (1))"), "\(roles.stderr)")
    #expect(!FileSystem.exists(FileSystem.join(dir, "mpf_experiments")))
  }

  @Test(.timeLimit(.minutes(2))) func aReplayRunsOnlyWhatTheOriginalRanAndNamesItsSourcesAsRecorded() async throws {
    let dir = MPFCommand.temporaryDirectory()
    let (_, id, exportErr) = try await Self.exported(in: dir, environment: ["ODD=1"])
    #expect(exportErr.contains("mpf: warning: module 'far away' (\(dir)/lib/far away.lua) is not in the bundle: its name cannot be a file's"), "\(exportErr)")
    let lib = ["env", "LUA_PATH=\(dir)/lib/?.lua;;", "ODD=1"]
    // The module that is not in the bundle is another one here: nothing runs.
    try FileSystem.writeAtomically(FileSystem.join(dir, "lib/far away.lua"), Array("return {k = 101}\n".utf8))
    let other = try await MPFCommand.run(["replay", "tiny.tar.gz", "-q"], in: dir, prefix: lib)
    #expect(other.status == 1, "\(other.stderr)")
    #expect(other.stderr.contains("error: module 'far away' (\(dir)/lib/far away.lua) is not the one the original ran: its SHA-256 differs"), "\(other.stderr)")
    #expect(other.stderr.contains("note: nothing was run"), "\(other.stderr)")
    #expect(!FileSystem.exists(FileSystem.join(dir, "mpf_experiments")))
    // Not found at all: Lua's own error, at the require line, named in the bundle's terms.
    let missing = try await MPFCommand.run(["replay", "tiny.tar.gz", "-q"], in: dir, prefix: ["env", "ODD=1"])
    #expect(missing.status == 1 && missing.stderr.hasPrefix("tiny.tar.gz:mpf-bundle-\(id)/experiment/tiny.lua:3: error: module 'far away' not found"), "\(missing.stderr)")
    try FileSystem.writeAtomically(FileSystem.join(dir, "lib/far away.lua"), Array("return {k = 100}\n".utf8))
    // The one in the bundle is taken from it, whatever is along package.path here.
    try FileSystem.writeAtomically(FileSystem.join(dir, "lib/far.lua"), Array("error('not the original')\n".utf8))
    let same = try await MPFCommand.run(["replay", "tiny.tar.gz", "-q", "--out", "same"], in: dir, prefix: lib)
    #expect(same.status == 0, "\(same.stderr)")
    #expect(same.stdout.contains("112") && same.stdout.contains("114"), "\(same.stdout)")
    // An error of the script at its top: named by the bundle's entry, not the private folder.
    let top = try await MPFCommand.run(["replay", "tiny.tar.gz", "-q"], in: dir, prefix: lib + ["TOP_FAIL=1"])
    #expect(top.status == 1, "\(top.stderr)")
    #expect(top.stderr.hasPrefix("tiny.tar.gz:mpf-bundle-\(id)/experiment/tiny.lua:4: error: top boom"), "\(top.stderr)")
    // A plan that differs is said; the comparison has the points both have.
    let wide = try await MPFCommand.run(["replay", "tiny.tar.gz", "-q", "--out", "wide"], in: dir, prefix: lib + ["WIDE=1"])
    #expect(wide.status == 0, "\(wide.stderr)")
    #expect(wide.stderr.contains("mpf: warning: the replay's plan is not the original's: variable 'x' has the values {1, 2, 3}, the original {1, 2}"), "\(wide.stderr)")
    #expect(wide.stderr.contains("3 runs are planned, the original planned 2"), "\(wide.stderr)")
    #expect(wide.stdout.contains("only in B: 3"), "\(wide.stdout)")
    // Failed runs: their errors, and the functions and modules, name the original's script.
    let failing = try await MPFCommand.run(["replay", "tiny.tar.gz", "-q"], in: dir, prefix: lib + ["RUN_FAIL=1"])
    #expect(failing.stderr.contains("failed: exp/tiny.lua:7: run boom"), "\(failing.stderr)")
    let doc = try #require(try MPFCommand.experimentYAML(in: dir))
    #expect(doc["functions"]?.items.first?["defined_at"]?.string == "exp/tiny.lua:6")
    let paths = (doc["script"]?["modules"]?.items ?? []).compactMap { $0["path"]?.string }
    // The modules from the bundle: beside the script, as the original's folder; `far away`
    // from package.path here, where the original found it.
    #expect(paths == ["exp/mpf-modules/far.lua", "\(dir)/lib/far away.lua", "exp/helpers.lua"], "\(paths)")
    #expect((doc["runs"]?.items ?? []).allSatisfy { $0["error"]?.string == "exp/tiny.lua:7: run boom" })
    // The replay's folder holds the module beside the script, as the original's did: a resume
    // of it finds it there (the module is named as recorded: exp/helpers.lua).
    let replayed = try #require(MPFCommand.experimentDirectory(in: dir))
    #expect(FileSystem.exists(FileSystem.join(replayed, "helpers.lua")) && FileSystem.exists(FileSystem.join(replayed, "mpf-modules/far.lua")))
    let resumed = try await MPFCommand.run(["resume", replayed, "-q", "--retry-failed"], in: dir, prefix: lib)
    #expect(resumed.status == 0, "\(resumed.stderr)")
  }
}
