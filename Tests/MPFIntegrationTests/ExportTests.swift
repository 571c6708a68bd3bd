import Testing
import MPFSystem
import MPFText

#if canImport(Glibc)
  import Glibc
#endif

/// `mpf export` never writes over anything and exports only what ran; `mpf replay` leaves no
/// private copy behind when it fails, and its gate fails when it could judge nothing.
@Suite struct ExportTests {
  static let script = """
    local h = require 'helpers'
    mpf.add_variable('x', {1, 2})
    mpf.run{role = 'a'}(function(x) return {latency = h.twice(x)} end)
    mpf.run_experiment{n_runs = 2}
    """

  /// A finished experiment of a script with a module, in `dir`; its directory.
  func experiment(in dir: String, result: String = "h.twice(x)") async throws -> String {
    try FileSystem.writeAtomically(FileSystem.join(dir, "tiny.lua"), Array(Self.script.replacing("h.twice(x)", with: result).utf8))
    try FileSystem.writeAtomically(FileSystem.join(dir, "helpers.lua"), Array("return {twice = function(x) return 2 * x end}\n".utf8))
    let run = try await MPFCommand.run(["tiny.lua", "-q"], in: dir)
    try #require(run.status == 0, "\(run.stderr)")
    return try #require(MPFCommand.experimentDirectory(in: dir))
  }

  /// mpf with its own temporary folder, to count what it leaves there.
  func mpf(_ arguments: [String], in dir: String) async throws -> CommandResult {
    try FileSystem.createDirectory(FileSystem.join(dir, "tmp"))
    return try await MPFCommand.run(arguments, in: dir, prefix: ["env", "TMPDIR=\(dir)/tmp", "XDG_CACHE_HOME=\(dir)/cache"])
  }

  @Test(.timeLimit(.minutes(2))) func exportNeverWritesOverAnything() async throws {
    let dir = MPFCommand.temporaryDirectory()
    let experiment = try await experiment(in: dir)
    let yaml = FileSystem.join(experiment, "experiment.yaml")
    let before = try FileSystem.read(yaml)
    try FileSystem.writeAtomically(FileSystem.join(dir, "existing.txt"), Array("keep me\n".utf8))
    #expect(mkfifo(FileSystem.join(dir, "fifo"), 0o600) == 0)
    for target in [yaml, FileSystem.join(dir, "existing.txt"), FileSystem.join(dir, "fifo"), FileSystem.join(dir, "mpf_experiments")] {
      let export = try await mpf(["export", experiment, "-o", target], in: dir)
      #expect(export.status == 1 && export.stderr.contains("exists") && export.stderr.contains("never writes over anything"), "\(target): \(export.stderr)")
    }
    // `.` and `..` name folders (the export got as far as a rename mpf cannot do: "busy").
    for target in [".", "..", "mpf_experiments/."] {
      let export = try await mpf(["export", experiment, "-o", target], in: dir)
      #expect(export.status == 64 || export.status == 1, "\(target): \(export.stderr)")
      #expect(export.stderr.contains("-o '\(target)' is not a file name: give the bundle's path, such as study.tar.gz"), "\(target): \(export.stderr)")
    }
    #expect(try FileSystem.read(yaml) == before, "the experiment's results are untouched")
    #expect(try FileSystem.readString(FileSystem.join(dir, "existing.txt")) == "keep me\n")
    #expect(FileSystem.directoryEntries(FileSystem.join(dir, "mpf_experiments")).allSatisfy { !$0.contains(".part-") }, "no partial bundle left")
    let good = try await mpf(["export", experiment, "-o", "study.tar.gz"], in: dir)
    #expect(good.status == 0, "\(good.stderr)")
  }

  @Test(.timeLimit(.minutes(2))) func exportTakesOnlyWhatRan() async throws {
    let dir = MPFCommand.temporaryDirectory()
    let experiment = try await experiment(in: dir)
    let module = FileSystem.join(experiment, "helpers.lua")
    let original = try FileSystem.read(module)
    try FileSystem.writeAtomically(module, Array("return {twice = function(x) return 13 * x end}\n".utf8))
    let edited = try await mpf(["export", experiment, "-o", "a.tar.gz"], in: dir)
    #expect(edited.status == 1 && edited.stderr.contains("helpers.lua is not what ran"), "\(edited.stderr)")
    try FileSystem.writeAtomically(module, original)
    let script = FileSystem.join(experiment, "tiny.lua")
    let source = try FileSystem.read(script)
    try FileSystem.writeAtomically(script, source + Array("-- edited\n".utf8))
    let scriptEdited = try await mpf(["export", experiment, "-o", "b.tar.gz"], in: dir)
    #expect(scriptEdited.status == 1 && scriptEdited.stderr.contains("tiny.lua is not what ran"), "\(scriptEdited.stderr)")
    FileSystem.removeFile(module)
    let missing = try await mpf(["export", experiment, "-o", "c.tar.gz"], in: dir)
    #expect(missing.status == 1 && missing.stderr.contains("helpers.lua is missing"), "\(missing.stderr)")
    #expect(!FileSystem.exists(FileSystem.join(dir, "a.tar.gz")) && !FileSystem.exists(FileSystem.join(dir, "c.tar.gz")))
  }

  @Test(.timeLimit(.minutes(2))) func aFailedReplayLeavesNothingAndAGateThatJudgedNothingFails() async throws {
    let dir = MPFCommand.temporaryDirectory()
    let experiment = try await experiment(in: dir, result: "'slow'")
    let export = try await mpf(["export", experiment, "-o", "study.tar.gz"], in: dir)
    try #require(export.status == 0, "\(export.stderr)")
    // A cluster without the bundle's role: refused after unpacking; the private copy goes.
    try FileSystem.writeAtomically(FileSystem.join(dir, "other.yaml"), Array("machines:\n  - {hostname: localhost, role: other}\n".utf8))
    let refused = try await mpf(["replay", "study.tar.gz", "-c", "other.yaml"], in: dir)
    #expect(refused.status == 1, "\(refused.stderr)")
    #expect(FileSystem.directoryEntries(FileSystem.join(dir, "tmp")).isEmpty, "\(FileSystem.directoryEntries(FileSystem.join(dir, "tmp")))")
    // String results: nothing to judge, so the gate does not pass, and says why in words.
    let gate = try await mpf(["replay", "study.tar.gz", "-q", "--fail-if-worse"], in: dir)
    #expect(gate.status == 1, "\(gate.stdout)\(gate.stderr)")
    #expect(gate.stderr.contains("not compared: compare: the two experiments share no numeric result") && !gate.stderr.contains("LuaRaise"), "\(gate.stderr)")
    #expect(FileSystem.directoryEntries(FileSystem.join(dir, "tmp")).isEmpty)
  }

  /// A result whose unit and name do not say which way is better: replay's gate cannot judge
  /// it and fails saying so, unless --higher-is-better or --lower-is-better says.
  @Test(.timeLimit(.minutes(2))) func aGateJudgesAResultOfNoKnownDirectionOnlyWhenTold() async throws {
    let dir = MPFCommand.temporaryDirectory()
    try FileSystem.writeAtomically(FileSystem.join(dir, "tiny.lua"), Array(Self.script.replacing("latency", with: "score").utf8))
    try FileSystem.writeAtomically(FileSystem.join(dir, "helpers.lua"), Array("return {twice = function(x) return 2 * x end}\n".utf8))
    #expect(try await MPFCommand.run(["tiny.lua", "-q"], in: dir).status == 0)
    let experiment = try #require(MPFCommand.experimentDirectory(in: dir))
    #expect(try await mpf(["export", experiment, "-o", "study.tar.gz"], in: dir).status == 0)
    let unsaid = try await mpf(["replay", "study.tar.gz", "-q", "--fail-if-worse", "--out", "r1"], in: dir)
    #expect(unsaid.status == 1, "\(unsaid.stderr)")
    #expect(unsaid.stderr.contains("score not judged") && unsaid.stderr.contains("pass --higher-is-better or --lower-is-better"), "\(unsaid.stderr)")
    #expect(unsaid.stderr.contains("no result could be judged"), "\(unsaid.stderr)")
    let told = try await mpf(["replay", "study.tar.gz", "-q", "--fail-if-worse", "--lower-is-better", "--out", "r2"], in: dir)
    #expect(told.status == 0, "\(told.stderr)")
    #expect(!told.stderr.contains("not judged"), "\(told.stderr)")
    let both = try await mpf(["replay", "study.tar.gz", "--higher-is-better", "--lower-is-better"], in: dir)
    #expect(both.status != 0 && both.stderr.contains("contradict each other"), "\(both.stderr)")
  }

  /// Each run's `time`, `speed` and `drops` as the environment says (TIME seconds; SPEED whole;
  /// DROPS a number, `inf` for math.huge): an experiment of given values, and a replay of others.
  static let valued = """
    mpf.add_variable('x', {1})
    local drops = os.getenv('DROPS') == 'inf' and math.huge or tonumber(os.getenv('DROPS') or '1')
    mpf.run{role = 'a'}(function(x) return {time = os.getenv('TIME') .. ' s', speed = os.getenv('SPEED') or '10 s', drops = drops} end)
    mpf.run_experiment{n_runs = 3}
    """

  /// `mpf` with the environment `environment` (`TIME=0`), in `dir`.
  func mpf(_ arguments: [String], in dir: String, environment: [String]) async throws -> CommandResult {
    try await MPFCommand.run(arguments, in: dir, prefix: ["env"] + environment)
  }

  /// The directory of an experiment of `valued` run with `environment`, under `dir`/`out`.
  func valued(in dir: String, out: String, environment: [String]) async throws -> String {
    try FileSystem.writeAtomically(FileSystem.join(dir, "valued.lua"), Array(Self.valued.utf8))
    let run = try await mpf(["valued.lua", "-q", "--out", out], in: dir, environment: environment)
    try #require(run.status == 0, "\(run.stderr)")
    return FileSystem.join(dir, "\(out)/" + (try #require(FileSystem.directoryEntries(FileSystem.join(dir, out)).first)))
  }

  /// A time of 0 s that became 10 ms: B/A has no value and no percentage measures it, and both
  /// gates passed it (`change -`, exit 0). It is worse, past any limit, said in words.
  @Test(.timeLimit(.minutes(2))) func aGateFailsAChangeFromZeroTheWorseWay() async throws {
    let dir = MPFCommand.temporaryDirectory()
    let a = try await valued(in: dir, out: "a", environment: ["TIME=0"])
    let b = try await valued(in: dir, out: "b", environment: ["TIME=0.01"])
    let compared = try await mpf(["compare", a, b, "--fail-if-worse", "5", "--no-graph"], in: dir, environment: [])
    #expect(compared.status == 4, "\(compared.stdout)\(compared.stderr)")
    #expect(compared.stdout.contains("from 0 to 10  yes, worse"), "\(compared.stdout)")
    #expect(compared.stderr.contains("mpf compare: time at x = 1 went from 0 s to 10 ms: worse (from 0, no percentage is under the limit)"), "\(compared.stderr)")
    #expect(try await mpf(["export", a, "-o", "a.tar.gz"], in: dir, environment: []).status == 0)
    let replay = try await mpf(["replay", "a.tar.gz", "-q", "--fail-if-worse", "--out", "r"], in: dir, environment: ["TIME=0.01"])
    #expect(replay.status == 4, "\(replay.stdout)\(replay.stderr)")
    #expect(replay.stderr.contains("mpf replay: time at x = 1 went from 0 s to 10 ms: worse than the original's"), "\(replay.stderr)")
    let better = try await mpf(["compare", b, a, "--fail-if-worse", "5", "--no-graph"], in: dir, environment: [])
    #expect(better.status == 0, "10 ms to 0 s is better: \(better.stdout)\(better.stderr)")
  }

  /// `speed` in s in A and in bits/s in B was compared as one ("+100%, yes, worse", exit 4): it
  /// is named and left out; a gate with nothing else to judge fails as having judged nothing.
  @Test(.timeLimit(.minutes(2))) func aResultInAnotherUnitIsNotCompared() async throws {
    let dir = MPFCommand.temporaryDirectory()
    let a = try await valued(in: dir, out: "a", environment: ["TIME=1"])
    let b = try await valued(in: dir, out: "b", environment: ["TIME=1", "SPEED=20 bits/s"])
    let compared = try await mpf(["compare", a, b, "--fail-if-worse", "5", "--no-graph"], in: dir, environment: [])
    #expect(compared.status == 0, "time is judged, and did not change: \(compared.stdout)\(compared.stderr)")
    #expect(compared.stdout.contains("speed: not compared: its unit is s in A, bits/s in B\n"), "\(compared.stdout)")
    #expect(!compared.stdout.contains("speed (s)") && !compared.stdout.contains("worse"), "\(compared.stdout)")
    let alone = try await mpf(["compare", a, b, "--on", "speed", "--fail-if-worse", "5", "--no-graph"], in: dir, environment: [])
    #expect(alone.status == 1, "\(alone.stdout)\(alone.stderr)")
    #expect(alone.stderr.contains("--fail-if-worse: no result is in the same unit in both experiments: nothing could be judged"), "\(alone.stderr)")
    #expect(try await mpf(["export", a, "-o", "a.tar.gz"], in: dir, environment: []).status == 0)
    let replay = try await mpf(["replay", "a.tar.gz", "-q", "--fail-if-worse", "--out", "r"], in: dir, environment: ["TIME=1", "SPEED=20 bits/s"])
    #expect(replay.status == 0, "\(replay.stdout)\(replay.stderr)")
    #expect(replay.stdout.contains("speed: not compared: its unit is s in A, bits/s in B"), "\(replay.stdout)")
  }

  /// An original whose values at a point are all `inf` ran it: it said "only in B" of it.
  /// Identical values have no spread: three of 11 ms were `11 ± 5.3e-15`.
  @Test(.timeLimit(.minutes(2))) func aPointWithNoFiniteValueIsSaidAsSuchAndIdenticalValuesHaveNoSpread() async throws {
    let dir = MPFCommand.temporaryDirectory()
    let a = try await valued(in: dir, out: "a", environment: ["TIME=0.011", "DROPS=inf"])
    let b = try await valued(in: dir, out: "b", environment: ["TIME=0.011"])
    let compared = try await mpf(["compare", a, b, "--on", "drops", "--no-graph"], in: dir, environment: [])
    #expect(compared.status == 0, "\(compared.stderr)")
    #expect(compared.stdout.contains("no finite value in A: 1\n") && !compared.stdout.contains("only in"), "\(compared.stdout)")
    let time = try await mpf(["compare", a, b, "--on", "time", "--no-graph"], in: dir, environment: [])
    #expect(time.stdout.contains("1  11 ± 0  11 ± 0"), "\(time.stdout)")
    #expect(try await mpf(["export", a, "-o", "a.tar.gz"], in: dir, environment: []).status == 0)
    let replay = try await mpf(["replay", "a.tar.gz", "-q", "--out", "r"], in: dir, environment: ["TIME=0.011"])
    #expect(replay.stdout.contains("no finite value in A: 1\n") && !replay.stdout.contains("only in"), "\(replay.stdout)")
  }

  @Test(.timeLimit(.minutes(1))) func aClusterFileThatIsNotARegularFileIsRefused() async throws {
    let dir = MPFCommand.temporaryDirectory()
    try FileSystem.writeAtomically(FileSystem.join(dir, "tiny.lua"), Array("mpf.run{role = 'a'}(function() end)\nmpf.run_experiment{}\n".utf8))
    #expect(mkfifo(FileSystem.join(dir, "fifo.yaml"), 0o600) == 0)
    for cluster in ["fifo.yaml", "/dev/zero"] {
      let result = try await mpf(["tiny.lua", "-c", cluster], in: dir)
      #expect(result.status == 1 && result.stderr.contains("cluster file"), "\(cluster): \(result.stderr)")
    }
  }
}
