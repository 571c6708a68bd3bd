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

@Suite struct ResumeTests {
  /// kill -9 of the controller at random moments, then resume: the dataframe is the one of an
  /// experiment never stopped, and no run is done twice.
  @Test(.timeLimit(.minutes(3))) func killedThenResumedEqualsNeverStopped() async throws {
    let dir = MPFCommand.temporaryDirectory()
    let slow = MPFCommand.fixture("slow.lua")
    let reference = try await MPFCommand.run([slow, "-q", "--seed", "9", "--out", "reference"], in: dir)
    #expect(reference.status == 0)
    let referenceDir = try #require(FileSystem.directoryEntries(FileSystem.join(dir, "reference")).first)
    let expected = try await MPFCommand.run(["show", "reference/\(referenceDir)"], in: dir).stdout
    // Kill points spread over the experiment, the same on every test run.
    var generator = SeededGenerator(seed: 20_261_126)
    for attempt in 0..<3 {
      let out = "killed\(attempt)"
      let process = try MPFCommand.start([slow, "-q", "--seed", "9", "--out", out], in: dir, marker: "k\(attempt)")
      // From the moment its file exists (a loaded machine can take longer than a fixed pause to
      // get there, and a controller killed before it has nothing to resume).
      let deadline = Clock.monotonic() + 30
      while Clock.monotonic() < deadline,
        !(FileSystem.directoryEntries(FileSystem.join(dir, out)).first.map { FileSystem.exists(FileSystem.join(dir, "\(out)/\($0)/experiment.yaml")) } ?? false)
      {
        await MPFCommand.pause(0.01)
      }
      await MPFCommand.pause(Double.random(in: 0...2.5, using: &generator))
      kill(process.pid, SIGKILL)
      _ = await MPFCommand.wait(process.pid)
      let id = try #require(FileSystem.directoryEntries(FileSystem.join(dir, out)).first)
      let stopped = try StoredExperiment.load(FileSystem.join(dir, "\(out)/\(id)"))
      #expect(stopped.status == nil)
      let resumed = try await MPFCommand.run(["resume", "\(out)/\(id)", "-q"], in: dir)
      #expect(resumed.status == 0, "stderr: \(resumed.stderr)")
      #expect(resumed.stderr.contains("mpf: resuming \(id): \(stopped.rows.count) of 40 runs done, \(40 - stopped.rows.count) to run"))
      #expect(try await MPFCommand.run(["show", "\(out)/\(id)"], in: dir).stdout == expected)
      let text = try FileSystem.readString(FileSystem.join(dir, "\(out)/\(id)/experiment.yaml"))
      #expect(text.components("\n- index:") == 40)  // no run done twice
    }
  }

  @Test func changedVariablesRunNewPointsAndKeepRemovedOnes() async throws {
    let dir = MPFCommand.temporaryDirectory()
    let script = MPFCommand.fixture("evolving.lua")
    let first = try await MPFCommand.run([script, "-q", "--", "3"], in: dir)
    #expect(first.status == 0)
    let id = try #require(FileSystem.directoryEntries(FileSystem.join(dir, "mpf_experiments")).first)
    let more = try await MPFCommand.run([script, "-q", "--resume", id, "--", "5"], in: dir)
    #expect(more.status == 0, "stderr: \(more.stderr)")
    #expect(more.stderr.lines().contains("mpf: resuming \(id): 6 of 10 runs done, 4 to run"))
    #expect(more.stdout.lines().count == 11)
    let fewer = try await MPFCommand.run([script, "-q", "--resume", id, "--", "4"], in: dir)
    #expect(fewer.stderr.lines().contains("mpf: 2 stored runs are no longer in the script's plan: kept as they are"))
    let stored = try StoredExperiment.load(FileSystem.join(dir, "mpf_experiments/\(id)"))
    #expect(stored.rows.count == 10)
    #expect(stored.rows.allSatisfy { row in row.results["cube"]?.raw.intValue == (row.values[0].intValue ?? 0) * (row.values[0].intValue ?? 0) * (row.values[0].intValue ?? 0) })
  }

  @Test func failedRunsAreRedoneOnlyWhenAsked() async throws {
    let dir = MPFCommand.temporaryDirectory()
    let flag = FileSystem.join(dir, "broken")
    try FileSystem.writeAtomically(flag, [])
    let script = MPFCommand.fixture("evolving.lua")
    let first = try await MPFCommand.run([script, "-q", "--", "3", flag], in: dir)
    #expect(first.status == 3)
    let id = try #require(FileSystem.directoryEntries(FileSystem.join(dir, "mpf_experiments")).first)
    FileSystem.removeFile(flag)
    let plain = try await MPFCommand.run(["resume", "mpf_experiments/\(id)", "-q"], in: dir)
    #expect(plain.status == 3)
    #expect(plain.stderr.contains("6 of 6 runs done, 0 to run"))
    let retried = try await MPFCommand.run(["resume", "mpf_experiments/\(id)", "-q", "--retry-failed"], in: dir)
    #expect(retried.status == 0, "stderr: \(retried.stderr)")
    #expect(retried.stderr.contains("4 of 6 runs done, 2 to run"))
    let stored = try StoredExperiment.load(FileSystem.join(dir, "mpf_experiments/\(id)"))
    #expect(stored.rows.count == 6 && stored.rows.allSatisfy { $0.status == .ok })
    let text = try FileSystem.readString(FileSystem.join(dir, "mpf_experiments/\(id)/experiment.yaml"))
    #expect(text.components("error: ") == 2)  // the failed attempts stay in the file
    // The report a resume draws from memory is the one drawn from the file, where each
    // retried run has two entries.
    let page = FileSystem.join(dir, "mpf_experiments/\(id)/report.html")
    let fromMemory = try FileSystem.readString(page)
    #expect(fromMemory.contains("6 of 6 runs") && !fromMemory.contains("failed</a>"))
    let redrawn = try await MPFCommand.run(["report", "mpf_experiments/\(id)"], in: dir)
    #expect(redrawn.status == 0, "stderr: \(redrawn.stderr)")
    #expect(try FileSystem.readString(page) == fromMemory)
  }

  @Test func showRefusesWhatIsNotAnExperiment() async throws {
    let dir = MPFCommand.temporaryDirectory()
    let result = try await MPFCommand.run(["show", dir], in: dir)
    #expect(result.status == 1)
    #expect(result.stderr.contains("note: an experiment directory holds experiment.yaml: is \(dir) one?"))
  }

  /// `mpf show ID` finds the experiment by its id, and says whether it is still running.
  @Test(.timeLimit(.minutes(1))) func showTakesAnIdAndTellsARunningExperimentFromAKilledOne() async throws {
    let dir = MPFCommand.temporaryDirectory()
    let process = try MPFCommand.start([MPFCommand.fixture("slow.lua"), "-q", "--seed", "3"], in: dir, marker: "show")
    await MPFCommand.waitForRuns(1, in: dir)
    let id = try #require(FileSystem.directoryEntries(FileSystem.join(dir, "mpf_experiments")).first)
    let running = try await MPFCommand.run(["show", id], in: dir)
    #expect(running.status == 0, "stderr: \(running.stderr)")
    #expect(running.stderr.hasSuffix(", running\n"), "stderr: \(running.stderr)")
    kill(process.pid, SIGKILL)
    _ = await MPFCommand.wait(process.pid)
    let killed = try await MPFCommand.run(["show", id], in: dir)
    #expect(killed.stderr.hasSuffix(", stopped (no end recorded)\n"), "stderr: \(killed.stderr)")
  }

  /// A resume started while the experiment still runs is refused, naming who writes it.
  @Test(.timeLimit(.minutes(1))) func aRunningExperimentCannotBeResumedTwice() async throws {
    let dir = MPFCommand.temporaryDirectory()
    let process = try MPFCommand.start([MPFCommand.fixture("slow.lua"), "-q", "--seed", "4"], in: dir, marker: "lock")
    await MPFCommand.waitForRuns(1, in: dir)
    let id = try #require(FileSystem.directoryEntries(FileSystem.join(dir, "mpf_experiments")).first)
    let second = try await MPFCommand.run(["resume", id, "-q"], in: dir)
    #expect(second.status == 1)
    #expect(second.stderr.contains("mpf_experiments/\(id) is being written by another mpf (pid \(process.pid) on "), "stderr: \(second.stderr)")
    #expect(second.stderr.contains("note: wait for it to end, or stop it (Ctrl-C), then resume"))
    kill(process.pid, SIGKILL)
    _ = await MPFCommand.wait(process.pid)
    // The kernel drops the lock with the process: now the resume goes ahead and completes.
    let resumed = try await MPFCommand.run(["resume", id, "-q"], in: dir)
    #expect(resumed.status == 0, "stderr: \(resumed.stderr)")
    #expect(try StoredExperiment.load(FileSystem.join(dir, "mpf_experiments/\(id)")).rows.count == 40)
  }

  /// A resume runs the script that ran (the stored copy), says so when the original has been
  /// edited since, and runs the edited one only when asked with --script.
  @Test func resumeRunsTheStoredCopyUnlessToldOtherwise() async throws {
    let dir = MPFCommand.temporaryDirectory()
    let script = FileSystem.join(dir, "s.lua")
    let original = try FileSystem.readString(MPFCommand.fixture("stop_on_error.lua"))
    try FileSystem.writeAtomically(script, Array(original.utf8))
    #expect(try await MPFCommand.run(["s.lua", "-q"], in: dir).status == 3)  // stops at x = 3
    let id = try #require(FileSystem.directoryEntries(FileSystem.join(dir, "mpf_experiments")).first)
    try FileSystem.writeAtomically(script, Array(original.replacingAll("if x == 3 then", with: "if false then").utf8))
    let copy = try await MPFCommand.run(["resume", id, "--retry-failed", "-q"], in: dir)
    #expect(copy.status == 3, "stderr: \(copy.stderr)")  // the stored copy still fails at x = 3
    #expect(copy.stderr.contains("mpf: s.lua has changed since the experiment started; resuming with the stored copy"))
    let doc = try #require(try MPFCommand.experimentYAML(in: dir))
    #expect(doc["script"]?["path"]?.string == "s.lua")
    let edited = try await MPFCommand.run(["resume", id, "--retry-failed", "--script", "s.lua", "-q"], in: dir)
    #expect(edited.status == 0, "stderr: \(edited.stderr)")
    let done = try StoredExperiment.load(FileSystem.join(dir, "mpf_experiments/\(id)"))
    #expect(done.rows.count == 6 && done.rows.allSatisfy { $0.status == .ok })
  }

  /// A resume finds a relative mpf.software dir beside the script the experiment ran, not beside
  /// the copy kept with the results; from elsewhere, the error says what to do (--script).
  @Test(.timeLimit(.minutes(1))) func aResumeFindsARelativeSoftwareFolderBesideTheScriptRun() async throws {
    let dir = MPFCommand.temporaryDirectory()
    try FileSystem.createDirectory(FileSystem.join(dir, "app"))
    try FileSystem.writeAtomically(FileSystem.join(dir, "app/hello.txt"), Array("hello\n".utf8))
    try FileSystem.writeAtomically(FileSystem.join(dir, "exp.lua"), try FileSystem.read(MPFCommand.fixture("software_relative.lua")))
    let marker = FileSystem.join(dir, "marker")
    try FileSystem.writeAtomically(marker, [])
    let first = try await MPFCommand.run(["exp.lua", "-q", "--", marker], in: dir)
    #expect(first.status == 3, "\(first.stderr)")
    FileSystem.removeFile(marker)
    let experiment = try #require(MPFCommand.experimentDirectory(in: dir))
    // From another folder: said, with the way out.
    let elsewhere = FileSystem.join(dir, "elsewhere")
    try FileSystem.createDirectory(elsewhere)
    let lost = try await MPFCommand.run(["resume", experiment, "--retry-failed"], in: elsewhere)
    #expect(lost.status == 1)
    #expect(lost.stderr.contains("--script"), "\(lost.stderr)")
    let resumed = try await MPFCommand.run(["resume", experiment, "--retry-failed", "-q"], in: dir)
    #expect(resumed.status == 0, "\(resumed.stderr)")
    let stored = try StoredExperiment.load(experiment)
    #expect(stored.rows.count == 2 && stored.rows.allSatisfy { $0.results["text"]?.raw == .string("hello") }, "\(resumed.stderr)")
  }
}
