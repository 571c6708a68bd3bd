import Testing
import MPFCore
import MPFWorker
import MPFSystem
import MPFText

#if canImport(Glibc)
  import Glibc
#endif

/// A build step is bounded: in time (`build_timeout`, its processes ended with it), by a stop
/// (SIGTERM ends it on the node and says so), and in the output the controller keeps.
@Suite struct BuildBoundsTests {
  func mpf(_ arguments: [String], in dir: String, prefix: [String] = []) async throws -> CommandResult {
    try await MPFCommand.run(arguments, in: dir, prefix: prefix + ["env", "XDG_CACHE_HOME=\(dir)/cache"])
  }

  static func source(in dir: String) throws -> String {
    let folder = FileSystem.join(dir, "src")
    try FileSystem.createDirectory(folder)
    try FileSystem.writeAtomically(FileSystem.join(folder, "README"), Array("a source\n".utf8))
    return folder
  }

  /// The pids a build step wrote into files of its build folder.
  static func pids(_ names: [String], in dir: String) -> [pid_t] {
    names.compactMap { name in
      (try? FileSystem.readString(FileSystem.join(dir, "cache/mpf/software/slow/default/\(name)"))).flatMap { pid_t($0.trimmed()) }
    }
  }

  @Test(.timeLimit(.minutes(1))) func aBuildStepPastItsTimeoutIsEndedWithItsProcesses() async throws {
    let dir = MPFCommand.temporaryDirectory()
    let step = "sleep 300 & echo $! > bg.pid; echo $$ > fg.pid; sleep 301"
    let started = Clock.monotonic()
    let result = try await mpf([MPFCommand.fixture("deploy_bounds.lua"), "-q", "--", try Self.source(in: dir), step, "1"], in: dir)
    #expect(result.status == 1, "\(result.stderr)")
    // Ended at its 1 s timeout, not when its 300 s step would have: the bound leaves room for
    // a loaded machine (20 s was passed at 21.2 s while the suites ran beside it).
    #expect(Clock.monotonic() - started < 50)
    #expect(
      result.stderr.contains(
        "deploy_bounds.lua:5: error: deploying on localhost: slow: build step 1 `\(step)` ran past its timeout (1.00 s) and was ended, with its processes there"),
      "\(result.stderr)")
    let pids = Self.pids(["bg.pid", "fg.pid"], in: dir)
    #expect(pids.count == 2)
    #expect(pids.allSatisfy(ProcessTree.hasEnded), "\(pids)")
  }

  @Test(.timeLimit(.minutes(1))) func aTimeoutThatIsNotANumberOfSecondsIsRefusedAtItsLine() async throws {
    let dir = MPFCommand.temporaryDirectory()
    let result = try await mpf([MPFCommand.fixture("deploy_bounds.lua"), "-q", "--", try Self.source(in: dir), "true", "-1"], in: dir)
    #expect(result.status != 0)
    #expect(result.stderr.contains("deploy_bounds.lua:5: error: mpf.software: build_timeout must be a number of seconds > 0"), "\(result.stderr)")
  }

  /// SIGTERM while a step builds: the step ends on the node with what it started, and the
  /// message says the deployment was stopped (no run was abandoned: none had started).
  @Test(.timeLimit(.minutes(1))) func aStopDuringABuildEndsItThereAndSaysSo() async throws {
    let dir = MPFCommand.temporaryDirectory()
    let step = "sleep 300 & echo $! > bg.pid; echo $$ > fg.pid; sleep 302"
    let process = try MPFCommand.start(
      [MPFCommand.fixture("deploy_bounds.lua"), "-q", "--", try Self.source(in: dir), step], in: dir, marker: "buildstop",
      prefix: ["env", "XDG_CACHE_HOME=\(dir)/cache"])
    let deadline = Clock.monotonic() + 30
    while Self.pids(["bg.pid", "fg.pid"], in: dir).count < 2, Clock.monotonic() < deadline { await MPFCommand.pause(0.05) }
    let pids = Self.pids(["bg.pid", "fg.pid"], in: dir)
    #expect(pids.count == 2)
    kill(process.pid, SIGTERM)
    #expect(await MPFCommand.wait(process.pid) == 143)
    let stderr = (try? FileSystem.readString(process.stderrPath)) ?? ""
    #expect(
      stderr.contains(
        "mpf: stopped: told to end (SIGTERM or SIGHUP); the deployment was stopped during [slow] \(step) on localhost, which was ended there with its processes"),
      "\(stderr)")
    #expect(!stderr.contains("abandoned"))
    let gone = Clock.monotonic() + 10
    while pids.contains(where: { !ProcessTree.hasEnded($0) }), Clock.monotonic() < gone { await MPFCommand.pause(0.05) }
    #expect(pids.allSatisfy(ProcessTree.hasEnded), "\(pids)")
  }

  /// 100 MB of build output: the controller keeps its head and tail (it says how much it cut),
  /// in its memory and in the deploy log, and the error shows the last lines.
  @Test(.timeLimit(.minutes(1))) func buildOutputIsKeptHeadAndTail() async throws {
    let dir = MPFCommand.temporaryDirectory()
    let step = "echo first-line; head -c 100000000 /dev/zero | tr '\\0' x; echo; echo last-line; exit 3"
    let result = try await mpf(
      [MPFCommand.fixture("deploy_bounds.lua"), "-q", "--", try Self.source(in: dir), step], in: dir,
      prefix: ["/usr/bin/time", "-f", "mpf-peak-kb %M"])
    #expect(result.status == 1)
    #expect(result.stderr.contains("build step 1 `\(step)` failed (exit status 3)"), "\(result.stderr.suffix(2000))")
    #expect(result.stderr.contains("  last-line"))
    let peak = result.stderr.lines().first { $0.hasPrefix("mpf-peak-kb ") }.flatMap { Int($0.dropFirst(12)) } ?? Int.max
    #expect(peak < 80_000, "peak \(peak) kB")
    let experiment = try #require(MPFCommand.experimentDirectory(in: dir))
    let log = try FileSystem.read(FileSystem.join(experiment, "logs/deploy-localhost.log"))
    #expect(log.count < 3_000_000)
    let text = String(decoding: log, as: UTF8.self)
    #expect(text.contains("first-line") && text.contains("last-line") && text.contains(" bytes cut ...]"))
  }
}
