import Testing
import MPFCore
import MPFYAML
import MPFResults
import MPFCluster
import MPFWorker
import MPFHost
import MPFSystem
import MPFText

#if canImport(Glibc)
  import Glibc
#endif


@Suite struct FailureTests {
  @Test(.timeLimit(.minutes(1))) func timeoutsEndCommandsAndLoopsAndRetriesSaveFlakyFunctions() async throws {
    let dir = MPFCommand.temporaryDirectory()
    try FileSystem.writeAtomically(FileSystem.join(dir, "failures.lua"), try FileSystem.read(MPFCommand.fixture("failures.lua")))
    let result = try await MPFCommand.run(["failures.lua", "-q"], in: dir)
    #expect(result.status == 3)
    #expect(result.stdout.lines() == [
      "mode   repetition  ok    status",
      "sleep           0  -     timeout",
      "spin            0  -     timeout",
      "flaky           0  true  ok",
      "fine            0  true  ok",
    ])
    #expect(result.stderr.lines().contains("run 0 (mode=sleep) timed out: failures.lua:5: timeout: the function ran longer than 1.5 s"))
    let doc = try #require(try MPFCommand.experimentYAML(in: dir))
    let runs = doc["runs"]?.items ?? []
    let sleep = try #require(runs.first { $0["values"]?["mode"]?.string == "sleep" })
    #expect(sleep["status"]?.string == "timeout")
    #expect(sleep["error"]?.string == "failures.lua:5: timeout: the function ran longer than 1.5 s")
    // The command's output up to the deadline is kept in the log, with each retry.
    let experiment = try #require(MPFCommand.experimentDirectory(in: dir))
    let log = try FileSystem.readString(FileSystem.join(experiment, try #require(sleep["log"]?.string)))
    #expect(log.components("$ echo partial; sleep 30; echo never") == 3)
    // Each attempt's output up to its deadline is kept (on a machine loaded by the whole suite
    // an attempt may reach its deadline before its shell has printed anything, so at least one).
    #expect(log.components("\npartial\n[exit 143") >= 1, "\(log)")
    #expect(!log.contains("never\n"))
    #expect(log.contains("-- attempt 2 failed: failures.lua:5: timeout: the function ran longer than 1.5 s; retrying (2 of 2)"))
  }

  @Test func onErrorStopEndsTheExperimentAtTheFailedRunAndIsResumable() async throws {
    let dir = MPFCommand.temporaryDirectory()
    let result = try await MPFCommand.run([MPFCommand.fixture("stop_on_error.lua"), "-q"], in: dir)
    // The script gets its dataframe back, with why it stopped; some runs failed: status 3.
    #expect(result.status == 3, "stderr: \(result.stderr)")
    let doc = try #require(try MPFCommand.experimentYAML(in: dir))
    let done = doc["runs"]?.items.count ?? 0
    let failedRun = doc["runs"]?.items.last?["index"]?.intValue ?? -1
    #expect(result.stdout == "\(done)\tstopped: run \(failedRun) ended failed and on_error is 'stop'\n")
    #expect(doc["status"]?.string == "stopped")
    #expect(doc["stop_reason"]?.string == "mpf: stopped: run \(failedRun) ended failed and on_error is 'stop'")
    let runs = doc["runs"]?.items ?? []
    #expect(runs.last?["status"]?.string == "failed")
    #expect(runs.last?["values"]?["x"]?.intValue == 3)
    #expect(runs.dropLast().allSatisfy { $0["status"]?.string == "ok" })
  }

  @Test(arguments: [
    ("mpf.run{role = 'a', timeout = 0}(function() end)", "mpf.run: timeout must be > 0 seconds and at most a week"),
    ("mpf.run{role = 'a', retries = 1.5}(function() end)", "mpf.run: retries must be a whole number >= 0"),
    ("mpf.run_experiment{on_error = 'ignore'}", "mpf.run_experiment: on_error must be 'continue' or 'stop'"),
  ])
  func badFailureOptionsAreRefused(source: String, message: String) async throws {
    let dir = MPFCommand.temporaryDirectory()
    try FileSystem.writeAtomically(FileSystem.join(dir, "o.lua"), Array(source.utf8))
    let result = try await MPFCommand.run(["o.lua", "-q"], in: dir)
    #expect(result.status == 1)
    #expect(result.stderr.lines().contains("o.lua:1: error: \(message)"), "stderr: \(result.stderr)")
  }
}

/// A results folder on a tiny tmpfs that fills up: a clear message, a valid file, every run
/// that could be stored kept, and resume works once there is room.
@Suite(.enabled(if: getuid() == 0, "mounts a tmpfs: needs root"))
struct FullDiskTests {
  @Test(.timeLimit(.minutes(1))) func aFullDiskStopsWithAValidFile() async throws {
    let dir = MPFCommand.temporaryDirectory()
    let disk = FileSystem.join(dir, "disk")
    try FileSystem.createDirectory(disk)
    #expect(try run(["mount", "-t", "tmpfs", "-o", "size=48k", "tmpfs", disk]) == 0)
    defer { _ = try? run(["umount", disk]) }
    let result = try await MPFCommand.run([MPFCommand.fixture("disk_full.lua"), "-q", "--out", disk], in: dir)
    #expect(result.status == 1)
    #expect(result.stderr.contains("No space left on device"), "stderr: \(result.stderr)")
    let id = try #require(FileSystem.directoryEntries(disk).first)
    let stored = try StoredExperiment.load(FileSystem.join(disk, id))
    #expect(stored.rows.count > 0 && stored.rows.count < 400)
    #expect(stored.rows.allSatisfy { $0.status == .ok && $0.results["text"] != nil })
  }

  /// mount and umount: quick, so waited for in place (a defer cannot await).
  private func run(_ arguments: [String]) throws -> Int32 {
    let process = try Subprocess.spawn(arguments, stdout: .devNull, stderr: .devNull)
    return Subprocess.wait(process.pid)
  }

  /// Lua code on a node reading stdin gets end of file: the protocol has descriptors of its own.
  @Test(.timeLimit(.minutes(1))) func aNodeReadingStdinGetsEndOfFile() async throws {
    let dir = MPFCommand.temporaryDirectory()
    let result = try await MPFCommand.run([MPFCommand.fixture("worker_stdin.lua"), "-q"], in: dir)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.hasSuffix("nil\tnil\n"), "\(result.stdout)")
  }

  /// A worker whose controller was killed (kill -9) ends, even busy in a Lua loop.
  @Test(.timeLimit(.minutes(1))) func aWorkerWhoseControllerDiedEndsEvenWhenBusy() async throws {
    let dir = MPFCommand.temporaryDirectory()
    let marker = MPFCommand.uniqueMarker()
    let process = try MPFCommand.start([MPFCommand.fixture("worker_stdin.lua"), "-q", "--", "busy"], in: dir, marker: marker)
    let deadline = Clock.monotonic() + 20
    // The run's log says "busy" once the function loops.
    while Clock.monotonic() < deadline, MPFCommand.processes(marked: marker).count < 2 { await MPFCommand.pause(0.05) }
    await MPFCommand.pause(0.5)
    #expect(MPFCommand.processes(marked: marker).count >= 2, "no worker started")
    kill(process.pid, SIGKILL)
    _ = await MPFCommand.wait(process.pid)
    let gone = Clock.monotonic() + 10
    while Clock.monotonic() < gone, !MPFCommand.processes(marked: marker).isEmpty { await MPFCommand.pause(0.1) }
    #expect(MPFCommand.processes(marked: marker).isEmpty, "a worker outlived its controller")
  }

  /// mpf.md brings back regular files only, within a size limit; the rest is named in the log.
  @Test(.timeLimit(.minutes(1))) func mdFilesThatAreNotPlainOrTooBigAreLeftOutAndSaid() async throws {
    let dir = MPFCommand.temporaryDirectory()
    let result = try await MPFCommand.run([MPFCommand.fixture("md_hostile.lua"), "-q"], in: dir)
    #expect(result.status == 0, "\(result.stderr)")
    let experiment = try #require(MPFCommand.experimentDirectory(in: dir))
    let brought = FileSystem.entries(under: FileSystem.join(experiment, "runs"))
    #expect(brought.files.map { FileSystem.basename($0.path) } == ["ok.txt"])
    #expect(brought.others.isEmpty)
    let log = try FileSystem.readString(FileSystem.join(experiment, "logs/run-0000.log"))
    for expected in ["fifo is a FIFO", "loop is a symbolic link", "zero is a symbolic link", "big (314572800 bytes) is past the limit"] {
      #expect(log.contains(expected), "\(expected) not in the log")
    }
  }

  /// Labels and errors with escape sequences reach the terminal escaped, never raw.
  @Test(.timeLimit(.minutes(2))) func controlCharactersNeverReachTheTerminalRaw() async throws {
    let dir = MPFCommand.temporaryDirectory()
    let result = try await MPFCommand.run([MPFCommand.fixture("control_chars.lua"), "--", "raise"], in: dir)
    #expect(result.status == 1, "\(result.stderr)")
    /// ESC, BEL, NUL and the bidi controls the fixture uses, none of them raw.
    func expectEscaped(_ output: CommandResult, _ what: String) {
      for text in [output.stdout, output.stderr] {
        #expect(!text.unicodeScalars.contains { ["\u{1B}", "\u{7}", "\0", "\u{202E}", "\u{2066}", "\u{200F}"].contains($0) }, "\(what): \(text)")
      }
    }
    expectEscaped(result, "run")
    // Errors (a NUL no longer cuts them), warnings, node output, labels, names and values.
    #expect(result.stderr.contains("bell\\u{7} and\\e[31m red\\u{202E} nul\\0after"), "\(result.stderr)")
    #expect(result.stderr.contains("error: final\\e[31m\\u{202E} nul\\0after"), "\(result.stderr)")
    #expect(result.stderr.contains("command not found: 'nosuchcommand\\e[32m\\u{202E}'"))
    #expect(result.stderr.contains("[r] top\\e[31m level\\u{2066}"))
    #expect(result.stderr.contains("mode=title\\e]0;pwned\\u{7}"))
    #expect(result.stdout.contains("rate\\e[35m\\u{202E}") && result.stdout.contains("val\\e[33m\\u{200F}x"), "\(result.stdout)")
    let experiment = try #require(MPFCommand.experimentDirectory(in: dir))
    _ = try await MPFCommand.run([MPFCommand.fixture("control_chars.lua")], in: dir)
    let other = try #require(FileSystem.directoryEntries(FileSystem.join(dir, "mpf_experiments")).map {
      FileSystem.join(FileSystem.join(dir, "mpf_experiments"), $0)
    }.first { $0 != experiment })
    for command in [["show", experiment], ["plot", "--term", experiment], ["compare", experiment, other], ["list"], ["report", experiment]] {
      let output = try await MPFCommand.run(command, in: dir)
      #expect(output.status == 0, "\(command): \(output.stderr)")
      expectEscaped(output, command[0])
    }
    let show = try await MPFCommand.run(["show", experiment], in: dir)
    #expect(show.stdout.contains("clear\\e[2Jscreen\\u{202E}"), "\(show.stdout)")
  }

  /// `mpf show --format csv|json|yaml` writes data: raw into a pipe (a program reads it, the
  /// CSV reads back), escaped at a terminal (a person reads it: a stored ESC cannot drive it).
  @Test(.timeLimit(.minutes(2))) func dataFormatsAreEscapedAtATerminalAndRawInAPipe() async throws {
    let dir = MPFCommand.temporaryDirectory()
    _ = try await MPFCommand.run([MPFCommand.fixture("control_chars.lua")], in: dir)
    let experiment = try #require(MPFCommand.experimentDirectory(in: dir))
    let piped = try await MPFCommand.run(["show", "--format", "csv", experiment], in: dir)
    #expect(piped.stdout.contains("clear\u{1B}[2Jscreen"), "a pipe gets the stored bytes: \(piped.stdout)")
    let steps = FileSystem.join(dir, "steps.json")
    try FileSystem.writeAtomically(steps, Array("[]".utf8))
    let driver = FileSystem.join(MPFCommand.repository, "Tests/MPFIntegrationTests/Support/pty-drive.py")
    for format in ["csv", "json", "yaml"] {
      let typed = try await MPFCommand.runProgram(
        ["/usr/bin/python3", driver, steps, "--", MPFCommand.binary, "show", "--format", format, experiment], in: dir)
      #expect(!typed.stdout.unicodeScalars.contains { ["\u{1B}", "\u{202E}"].contains($0) }, "\(format): \(typed.stdout)")
      #expect(typed.stdout.contains("clear"), "\(format): \(typed.stdout)")
    }
  }

  /// A result that comes back in another unit is reported, once.
  @Test(.timeLimit(.minutes(1))) func aColumnMixingUnitsIsReported() async throws {
    let dir = MPFCommand.temporaryDirectory()
    let result = try await MPFCommand.run([MPFCommand.fixture("mixed_units.lua"), "-q"], in: dir)
    #expect(result.status == 0, "\(result.stderr)")
    let warnings = result.stderr.split(separator: "\n").filter { $0.contains("result 'speed' is in s in run 0 and in bits/s in run") }
    #expect(warnings.count == 1, "\(result.stderr)")
  }

  /// Long ex output: Lua and the log get its head and tail, the run's files the whole of it.
  @Test(.timeLimit(.minutes(1))) func longCommandOutputIsCutAndKeptWhole() async throws {
    let dir = MPFCommand.temporaryDirectory()
    let result = try await MPFCommand.run([MPFCommand.fixture("ex_flood.lua"), "-q"], in: dir)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout == "true\t1\t1\t5000000\n", "\(result.stdout)")
    let experiment = try #require(MPFCommand.experimentDirectory(in: dir))
    let files = FileSystem.entries(under: FileSystem.join(experiment, "runs")).files
    #expect(files.contains { $0.path.hasSuffix(".stdout") && $0.size == 38_888_896 }, "\(files.map(\.path))")
    #expect(files.contains { $0.path.hasSuffix(".out") && $0.size == 22_888_896 }, "\(files.map(\.path))")
    let log = try FileSystem.readString(FileSystem.join(experiment, "logs/run-0000.log"))
    #expect(log.contains("bytes of output cut here; the whole output is in ex-"))
    #expect(log.utf8.count < 8 << 20, "the log holds \(log.utf8.count) bytes")
  }

  /// Code a worker cannot stop at its timeout is stopped from the controller: the run is a
  /// timeout, its processes end, and the next runs get a new worker.
  @Test(.timeLimit(.minutes(2))) func timeoutsHoldAgainstCodeTheWorkerCannotStop() async throws {
    let dir = MPFCommand.temporaryDirectory()
    let marker = MPFCommand.uniqueMarker()
    let result = try await MPFCommand.run([MPFCommand.fixture("overrun.lua"), "-q"], in: dir, marker: marker)
    #expect(result.status == 3, "\(result.stderr)")
    let statuses = Dictionary(uniqueKeysWithValues: result.stdout.split(separator: "\n").map { line in
      let parts = line.split(separator: "\t").map(String.init)
      return (parts[0], parts.count > 1 ? parts[1] : "")
    })
    #expect(statuses == ["pcall": "timeout", "coroutine": "timeout", "find": "timeout", "closed": "timeout", "ok": "ok"], "\(result.stdout)")
    #expect(result.stderr.contains("mpf ended its worker"))
    #expect(MPFCommand.processes(marked: marker).isEmpty, "sleep 100 or a worker outlived the experiment")
  }
}
