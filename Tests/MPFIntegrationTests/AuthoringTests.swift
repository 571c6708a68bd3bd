import Testing
import MPFCore
import MPFYAML
import MPFResults
import MPFCluster
import MPFWorker
import MPFHost
import MPFSystem
import MPFText

/// What a script author meets in the first hour: logs of init functions, mistakes said once,
/// tracebacks, helpers.
@Suite struct AuthoringTests {
  @Test func anInitFunctionIsLoggedAndItsFailureRecorded() async throws {
    let dir = MPFCommand.temporaryDirectory()
    try FileSystem.writeAtomically(FileSystem.join(dir, "init_fails.lua"), try FileSystem.read(MPFCommand.fixture("init_fails.lua")))
    let result = try await MPFCommand.run(["init_fails.lua", "-q"], in: dir)
    #expect(result.status == 1)
    #expect(result.stderr.lines().contains("init_fails.lua:4: error: init broke"), "stderr: \(result.stderr)")
    let experiment = try #require(MPFCommand.experimentDirectory(in: dir))
    let log = try FileSystem.readString(FileSystem.join(experiment, "logs/init-a.log"))
    #expect(log.contains("$ echo init-output; exit 3    # init_fails.lua:2\ninit-output\n[exit 3"))
    #expect(log.contains("init printed\n"))
    #expect(log.contains("error: init_fails.lua:4: error: init broke"))
    let doc = try #require(try MPFCommand.experimentYAML(in: dir))
    #expect(doc["status"]?.string == "stopped")
    #expect(doc["stop_reason"]?.string == "init_fails.lua:4: error: init broke")
  }

  @Test func aLinkThatNoInterfaceHasIsAnErrorAtItsLine() async throws {
    let dir = MPFCommand.temporaryDirectory()
    try FileSystem.writeAtomically(FileSystem.join(dir, "link_typo.lua"), try FileSystem.read(MPFCommand.fixture("link_typo.lua")))
    let result = try await MPFCommand.run(["link_typo.lua", "-q"], in: dir)
    #expect(result.status == 1)
    #expect(result.stderr == """
      link_typo.lua:1: error: link 'wan' is not on any interface of the cluster, so this function would run nowhere
      note: without a cluster file (-c) there are no links: every role has one interface, lo

      """)
  }

  @Test func verboseShowsTheWorkersTracebackAndTheLogKeepsIt() async throws {
    let dir = MPFCommand.temporaryDirectory()
    try FileSystem.writeAtomically(FileSystem.join(dir, "function_raises.lua"), try FileSystem.read(MPFCommand.fixture("function_raises.lua")))
    let result = try await MPFCommand.run(["function_raises.lua", "-q", "-v", "-n", "1"], in: dir)
    #expect(result.status == 3)
    #expect(result.stderr.contains("run 0 failed: function_raises.lua:2: boom\nstack traceback:\n"))
    #expect(result.stderr.contains("function_raises.lua:2: in "))
    let experiment = try #require(MPFCommand.experimentDirectory(in: dir))
    let log = try FileSystem.readString(FileSystem.join(experiment, "logs/run-0000.log"))
    #expect(log.contains("error: function_raises.lua:2: error: boom\nstack traceback:\n"))
  }

  @Test func helpersWaitAndHooksRunAroundTheExperiment() async throws {
    let dir = MPFCommand.temporaryDirectory()
    let port = 20000 + Int.random(in: 0..<20000)
    let result = try await MPFCommand.run([MPFCommand.fixture("helpers.lua"), "-q", "--", String(port)], in: dir)
    #expect(result.status == 0, "stderr: \(result.stderr)")
    let experiment = try #require(MPFCommand.experimentDirectory(in: dir))
    let id = FileSystem.basename(experiment)
    #expect(result.stdout.lines() == [
      "before\t\(id)\tmpf_experiments/\(id)",
      "after\t2\ttrue\ttrue",
      "1\ttrue\ttrue\ttrue",
      "2\ttrue\ttrue\ttrue",
    ])
    #expect(try FileSystem.readString(FileSystem.join(experiment, "input.txt")) == "prepared")
  }

  @Test func modulesNextToTheScriptTravelWithItAndAreKept() async throws {
    let dir = MPFCommand.temporaryDirectory()
    // The script runs from another folder: a worker finds its modules only because they travel.
    let folder = FileSystem.join(dir, "exp")
    try FileSystem.createDirectory(FileSystem.join(folder, "lib"))
    for file in ["experiment.lua", "helpers.lua", "lib/net.lua"] {
      try FileSystem.writeAtomically(FileSystem.join(folder, file), try FileSystem.read(MPFCommand.fixture("modules/" + file)))
    }
    let result = try await MPFCommand.run(["exp/experiment.lua", "-q"], in: dir)
    #expect(result.status == 0, "stderr: \(result.stderr)")
    #expect(result.stdout.lines() == ["1\t2\tlink-22", "2\t4\tlink-24"])
    let experiment = try #require(MPFCommand.experimentDirectory(in: dir))
    #expect(try FileSystem.readString(FileSystem.join(experiment, "lib/net.lua")).contains("net.describe"))
    #expect(FileSystem.exists(FileSystem.join(experiment, "helpers.lua")))
    let doc = try #require(try MPFCommand.experimentYAML(in: dir))
    #expect(doc["script"]?["modules"]?.items.compactMap { $0["name"]?.string } == ["helpers", "lib.net"])
    // A changed module changes the script's hash.
    let hash = doc["script"]?["sha256"]?.string
    try FileSystem.writeAtomically(
      FileSystem.join(folder, "helpers.lua"), Array("return {double = function(x) return x + x end}\n".utf8))
    let again = try await MPFCommand.run(["exp/experiment.lua", "-q", "--out", "again"], in: dir)
    #expect(again.status == 0)
    let second = try #require(FileSystem.directoryEntries(FileSystem.join(dir, "again")).first)
    let other = try #require(try YAMLParser.parse(try FileSystem.readString(FileSystem.join(dir, "again/\(second)/experiment.yaml"))))
    #expect(other["script"]?["sha256"]?.string != hash)
  }

  /// A module from elsewhere along package.path (an absolute LUA_PATH) beside a script run from
  /// its own folder: kept in mpf-modules/ (it used to stop the experiment: "leads outside the
  /// results directory"), and a resume takes that copy, not what is along the path now.
  @Test func aModuleFromElsewhereIsKeptAndAResumeTakesIt() async throws {
    let dir = MPFCommand.temporaryDirectory()
    try FileSystem.createDirectory(FileSystem.join(dir, "lib"))
    try FileSystem.writeAtomically(FileSystem.join(dir, "lib/shared.lua"), Array("return {k = 7}\n".utf8))
    try FileSystem.writeAtomically(
      FileSystem.join(dir, "top.lua"),
      Array("""
        local shared = require 'shared'
        mpf.add_variable('x', {1, 2})
        mpf.run{role = 'node'}(function(x)
          if x == 2 and os.getenv('CUT') then os.exit(1) end
          return {v = x + shared.k}
        end)
        mpf.run_experiment{n_runs = 1, on_error = 'stop'}

        """.utf8))
    let path = ["env", "LUA_PATH=\(dir)/lib/?.lua;;"]
    let first = try await MPFCommand.run(["top.lua", "-q", "--seed", "1"], in: dir, prefix: path + ["CUT=1"])
    let experiment = try #require(MPFCommand.experimentDirectory(in: dir))
    #expect(try FileSystem.readString(FileSystem.join(experiment, "mpf-modules/shared.lua")) == "return {k = 7}\n", "\(first.stderr)")
    let doc = try #require(try MPFCommand.experimentYAML(in: dir))
    #expect(doc["script"]?["modules"]?.items.first?["path"]?.string == "\(dir)/lib/shared.lua")
    try FileSystem.writeAtomically(FileSystem.join(dir, "lib/shared.lua"), Array("return {k = 1000}\n".utf8))
    let resumed = try await MPFCommand.run(["resume", experiment, "-q", "--retry-failed"], in: dir, prefix: path)
    #expect(resumed.status == 0, "\(resumed.stderr)")
    let after = try #require(try MPFCommand.experimentYAML(in: dir))
    let values = (after["runs"]?.items ?? []).filter { $0["status"]?.string == "ok" }.compactMap { $0["results"]?["v"]?["value"]?.string ?? $0["results"]?["v"]?.string }
    #expect(Set(values) == ["8", "9"], "\(values)")
  }

  /// On a terminal (a pseudo-terminal made by util-linux's `script`), what the script prints
  /// while the bar is shown clears the bar and the bar comes back below it.
  @Test func printingClearsTheProgressBarAndDrawsItAgainBelow() async throws {
    let dir = MPFCommand.temporaryDirectory()
    let command = "\(MPFCommand.binary) \(MPFCommand.fixture("print_with_bar.lua"))"
    let result = try await MPFCommand.runProgram(["script", "-qec", command, "/dev/null"], in: dir, environment: ["TERM=xterm"])
    #expect(result.status == 0, "output: \(result.stdout)")
    let clear = "\r\u{1B}[2K"
    // Run order for seed 1: x = 1, 3, 2. Each print is on a line of its own, after the bar is
    // cleared; the bar is drawn again after the first two (not after the last run).
    #expect(result.stdout.contains("\(clear)seen run\t1\r\n\(clear)["))
    #expect(result.stdout.contains("\(clear)seen run\t3\r\n\(clear)["))
    #expect(result.stdout.contains("seen run\t2\r\n"))
    #expect(result.stdout.hasSuffix("done\r\n"))
    for line in result.stdout.split(separator: "\n") where line.contains("seen run") {
      #expect(!String(line).replacingAll(clear, with: "\n").split(separator: "\n").contains { $0.contains("] ") && $0.contains("seen run") })
    }
  }

  @Test func osExitInARoleFunctionFailsTheRunNotTheWorker() async throws {
    let dir = MPFCommand.temporaryDirectory()
    try FileSystem.writeAtomically(FileSystem.join(dir, "os_exit.lua"), try FileSystem.read(MPFCommand.fixture("os_exit.lua")))
    let result = try await MPFCommand.run(["os_exit.lua", "-q"], in: dir)
    #expect(result.status == 3, "stderr: \(result.stderr)")
    #expect(result.stdout.lines() == [
      "1\tfailed\tnil\tos_exit.lua:4: os.exit(3) in a function that runs on a node: return, or raise an error, instead",
      "2\tok\t2\tnil",
    ])
    #expect(!result.stderr.contains("reconnect"))
  }
}
