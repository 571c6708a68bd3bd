import Testing
import MPFSystem
import MPFText

#if canImport(Glibc)
  import Glibc
#endif

/// mpf bisect stopped rather than misled: Ctrl-C in any run of a probe stops the whole bisect, a
/// probe another mpf is writing stops it (never a skip), each probe line is out as it ends, and a
/// cluster file's error is said once. On VersionsTests' generated repository.
@Suite struct StoppedBisectTests {
  /// One point, 3 runs a probe. Each run adds a line to DIR/runs; run number STALL (over the
  /// whole bisect) writes DIR/stalled, then waits until DIR/go exists, at most SECONDS: a test
  /// lets it end once mpf has taken its signal, however late a loaded machine makes it.
  static let script = """
    local dir, stall, seconds = mpf.args[1], tonumber(mpf.args[2]), mpf.args[3]
    mpf.add_variable('version', {'main'})
    mpf.software{name = 'app', role = 'a', git = {url = 'repo', ref = '$version'}, build = {'sh build.sh'}}
    mpf.run{role = 'a'}(function(ctx)
      local f = assert(io.open(ctx.software.app.dir .. '/out.txt'))
      local v = tonumber(f:read('a'))
      f:close()
      local runs = assert(io.open(dir .. '/runs', 'a'))
      runs:write('run\\n')
      runs:close()
      local count = 0
      for _ in io.lines(dir .. '/runs') do count = count + 1 end
      if count == stall then
        assert(io.open(dir .. '/stalled', 'w')):close()
        ex('for t in $(seq 1 ' .. math.floor(seconds * 20) .. '); do [ -e ' .. dir .. '/go ] && break; sleep 0.05; done')
      end
      return {goodput = v + ctx.repetition * 0.5}
    end)
    mpf.run_experiment{n_runs = 3}
    """

  static func arguments(_ dir: String, stall: Int, seconds: Double) -> [String] {
    ["bisect", "stop.lua", "--variable", "version", "--good", "good", "--bad", "main", "--on", "goodput", "-q", "--", dir, String(stall), String(seconds)]
  }

  static func prepare() async throws -> String {
    let dir = MPFCommand.temporaryDirectory()
    try await VersionsTests.repository(in: dir)
    try FileSystem.writeAtomically(FileSystem.join(dir, "stop.lua"), Array(script.utf8))
    return dir
  }

  /// Starts the bisect and waits until run `stall` waits.
  static func startStalled(_ dir: String, stall: Int, seconds: Double, marker: String) async throws
    -> (pid: pid_t, stdoutPath: String, stderrPath: String)
  {
    let process = try MPFCommand.start(
      arguments(dir, stall: stall, seconds: seconds), in: dir, marker: marker, prefix: ["env", "XDG_CACHE_HOME=\(dir)/cache"])
    let deadline = Clock.monotonic() + 60
    while !FileSystem.exists(FileSystem.join(dir, "stalled")), Clock.monotonic() < deadline { await MPFCommand.pause(0.05) }
    try #require(FileSystem.exists(FileSystem.join(dir, "stalled")), "run \(stall) never came")
    return process
  }

  /// Once mpf said it finishes the run in progress (or ended, or 60 s passed), lets the waiting
  /// run end; then waits for mpf's end.
  static func release(_ process: (pid: pid_t, stdoutPath: String, stderrPath: String), in dir: String) async throws -> (Int32, String) {
    let deadline = Clock.monotonic() + 60
    var ended: Int32?
    while Clock.monotonic() < deadline, !((try? FileSystem.readString(process.stderrPath)) ?? "").contains("finishing the run in progress") {
      ended = Subprocess.poll(process.pid)
      if ended != nil { break }
      await MPFCommand.pause(0.05)
    }
    try FileSystem.writeAtomically(FileSystem.join(dir, "go"), [])
    let status = if let ended { ended } else { await MPFCommand.wait(process.pid) }
    return (status, (try? FileSystem.readString(process.stderrPath)) ?? "")
  }

  static func runs(in dir: String) -> Int { ((try? FileSystem.readString(FileSystem.join(dir, "runs"))) ?? "").lines().count }

  static func experiments(in dir: String) -> [String] {
    ((try? FileSystem.directoryEntries(FileSystem.join(dir, "mpf_experiments"))) ?? []).filter { !$0.hasPrefix("bisect-") }
  }

  /// Ctrl-C during the last run of the good end: that run ends, the probe is kept whole, and
  /// the bisect stops there (exit 130) instead of measuring the other probes; run again, it
  /// goes on from the stored probe.
  @Test(.timeLimit(.minutes(3))) func ctrlCInAProbesLastRunStopsTheBisect() async throws {
    let dir = try await Self.prepare()
    let process = try await Self.startStalled(dir, stall: 3, seconds: 60, marker: MPFCommand.uniqueMarker())
    kill(process.pid, SIGINT)
    let (status, stderr) = try await Self.release(process, in: dir)
    #expect(status == 130, "\(stderr)")
    #expect(stderr.contains("mpf: Ctrl-C: finishing the run in progress, then stopping"), "\(stderr)")
    #expect(stderr.contains("mpf: stopped: Ctrl-C, after the run in progress"), "\(stderr)")
    #expect(stderr.contains("running the same command again goes on from the stored probes"), "\(stderr)")
    #expect(Self.runs(in: dir) == 3, "no other probe was measured")
    #expect(Self.experiments(in: dir).count == 1)
    // The same arguments (a probe is found by them); run 3 is long past.
    let again = try await MPFCommand.run(
      Self.arguments(dir, stall: 3, seconds: 60), in: dir, prefix: ["env", "XDG_CACHE_HOME=\(dir)/cache"])
    #expect(again.status == 0, "\(again.stderr)")
    let probes = again.stdout.split(separator: "\n").filter { $0.hasPrefix("probe ") }
    #expect(probes.first?.contains("(stored)") == true, "\(again.stdout)")
    #expect(again.stdout.contains("first bad commit: "), "\(again.stdout)")
  }

  /// Ctrl-C just as a probe ends (its last run done, its experiment.yaml closed, the next probe
  /// not yet started) is no less a Ctrl-C: the bisect stops there with 130, measuring nothing
  /// more. It was lost there (the bisect went on to its end and exited 0).
  @Test(.timeLimit(.minutes(3))) func ctrlCAsAProbeEndsStopsTheBisect() async throws {
    let dir = try await Self.prepare()
    // Run 4, the bad end's first, waits: were the Ctrl-C lost, the bisect would go on.
    let process = try MPFCommand.start(
      Self.arguments(dir, stall: 4, seconds: 20), in: dir, marker: MPFCommand.uniqueMarker(), prefix: ["env", "XDG_CACHE_HOME=\(dir)/cache"])
    let deadline = Clock.monotonic() + 60
    while Clock.monotonic() < deadline, !Self.experiments(in: dir).contains(where: { name in
      let yaml = (try? FileSystem.readString(FileSystem.join(FileSystem.join(dir, "mpf_experiments/\(name)"), "experiment.yaml"))) ?? ""
      return yaml.contains("\nstatus: completed")
    }) { await MPFCommand.pause(0.01) }
    kill(process.pid, SIGINT)
    let (status, stderr) = try await Self.release(process, in: dir)
    #expect(status == 130, "\(stderr)")
    #expect(stderr.contains("mpf: stopped: Ctrl-C"), "\(stderr)")
    #expect(stderr.contains("running the same command again goes on from the stored probes"), "\(stderr)")
    // Taken as the good end ended, or by the bad end's probe (before its first run or in it).
    #expect(Self.runs(in: dir) <= 4, "no other probe was measured")
    #expect(Self.experiments(in: dir).count <= 2)
  }

  /// A second bisect on the same --out finds the first's middle probe still being written: that
  /// stops it (another mpf's doing, not the commit's), never a skip and a false answer.
  @Test(.timeLimit(.minutes(3))) func aProbeAnotherMpfWritesStopsTheBisect() async throws {
    let dir = try await Self.prepare()
    // Runs 1-6 are the ends; run 7 is the first of the first probe between them.
    let first = try await Self.startStalled(dir, stall: 7, seconds: 60, marker: MPFCommand.uniqueMarker())
    let second = try await MPFCommand.run(
      Self.arguments(dir, stall: 7, seconds: 60), in: dir, prefix: ["env", "XDG_CACHE_HOME=\(dir)/cache"])
    #expect(second.status == 1, "\(second.stdout)\(second.stderr)")
    #expect(second.stderr.contains("is being written by another mpf"), "\(second.stderr)")
    #expect(second.stderr.contains("wait for the other mpf to end, or give another --out"), "\(second.stderr)")
    // Commit 7 does not build (skipped, rightly); the probe being written is no skip.
    #expect(!second.stdout.contains("being written") && !second.stdout.contains("first bad commit"), "\(second.stdout)")
    #expect(Self.runs(in: dir) == 7, "the second measured nothing")
    kill(first.pid, SIGTERM)
    #expect(await MPFCommand.wait(first.pid) == 143)
  }

  /// Into a file (not a terminal), each probe's line is there as the probe ends, not at exit.
  @Test(.timeLimit(.minutes(3))) func eachProbeIsWrittenAsItEndsIntoAFile() async throws {
    let dir = try await Self.prepare()
    let process = try await Self.startStalled(dir, stall: 7, seconds: 60, marker: MPFCommand.uniqueMarker())
    await MPFCommand.pause(0.3)
    let shown = (try? FileSystem.readString(process.stdoutPath)) ?? ""
    kill(process.pid, SIGTERM)
    #expect(await MPFCommand.wait(process.pid) == 143)
    #expect(shown.contains("mpf bisect: 16 commits from ") && shown.contains("probe 1: ") && shown.contains("probe 2: "), "\(shown)")
  }
}
