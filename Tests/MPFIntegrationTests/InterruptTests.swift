import Testing
import MPFCore
import MPFYAML
import MPFResults
import MPFCluster
import MPFWorker
import MPFHost
import MPFSystem

#if canImport(Glibc)
  import Glibc
#endif

@Suite struct InterruptTests {
  @Test(.timeLimit(.minutes(1))) func firstCtrlCFinishesTheRunThenStopsResumably() async throws {
    let dir = MPFCommand.temporaryDirectory()
    let process = try MPFCommand.start([MPFCommand.fixture("slow.lua"), "-q", "--seed", "3"], in: dir, marker: "int1")
    await MPFCommand.waitForRuns(2, in: dir)
    kill(process.pid, SIGINT)
    #expect(await MPFCommand.wait(process.pid) == 130)
    let stderr = (try? FileSystem.readString(process.stderrPath)) ?? ""
    #expect(stderr.contains("mpf: Ctrl-C: finishing the run in progress, then stopping (Ctrl-C again to stop now)"))
    #expect(stderr.contains("mpf: stopped: Ctrl-C, after the run in progress"))
    let id = try #require(FileSystem.directoryEntries(FileSystem.join(dir, "mpf_experiments")).first)
    let stored = try StoredExperiment.load(FileSystem.join(dir, "mpf_experiments/\(id)"))
    #expect(stored.status == "stopped")
    #expect(stored.rows.count >= 2 && stored.rows.count < 40)
    #expect(stored.rows.allSatisfy { $0.status == .ok })
    let resumed = try await MPFCommand.run(["resume", "mpf_experiments/\(id)", "-q"], in: dir)
    #expect(resumed.status == 0)
    #expect(try StoredExperiment.load(FileSystem.join(dir, "mpf_experiments/\(id)")).rows.count == 40)
  }

  /// SIGTERM (and SIGHUP) stop as a second Ctrl-C does: now, with the file's status written,
  /// resumable, exit 143.
  @Test(.timeLimit(.minutes(1)), arguments: [SIGTERM, SIGHUP])
  func terminationStopsNowResumably(signal: Int32) async throws {
    let dir = MPFCommand.temporaryDirectory()
    let process = try MPFCommand.start([MPFCommand.fixture("slow.lua"), "-q", "--seed", "3"], in: dir, marker: "term\(signal)")
    await MPFCommand.waitForRuns(2, in: dir)
    kill(process.pid, signal)
    #expect(await MPFCommand.wait(process.pid) == 143)
    let stderr = (try? FileSystem.readString(process.stderrPath)) ?? ""
    #expect(stderr.contains("mpf: stopped: told to end (SIGTERM or SIGHUP); the run in progress was abandoned"))
    let id = try #require(FileSystem.directoryEntries(FileSystem.join(dir, "mpf_experiments")).first)
    let doc = try #require(try MPFCommand.experimentYAML(in: dir))
    #expect(doc["status"]?.string == "stopped")
    #expect(doc["stop_reason"]?.string?.contains("SIGTERM") == true)
    let resumed = try await MPFCommand.run(["resume", id, "-q"], in: dir)
    #expect(resumed.status == 0, "stderr: \(resumed.stderr)")
    #expect(try StoredExperiment.load(FileSystem.join(dir, "mpf_experiments/\(id)")).rows.count == 40)
  }

  /// Lua code looping on the controller (at the script's top level, in on_run) stops at Ctrl-C.
  @Test(.timeLimit(.minutes(1)), arguments: ["top", "on_run"])
  func ctrlCStopsLuaLoopingOnTheController(place: String) async throws {
    let dir = MPFCommand.temporaryDirectory()
    let process = try MPFCommand.start([MPFCommand.fixture("busy_controller.lua"), "-q", "--", place], in: dir, marker: "busy\(place)")
    let deadline = Clock.monotonic() + 20
    while !((try? FileSystem.readString(process.stdoutPath)) ?? "").contains("looping"), Clock.monotonic() < deadline { await MPFCommand.pause(0.02) }
    await MPFCommand.pause(0.2)
    kill(process.pid, SIGINT)
    #expect(await MPFCommand.wait(process.pid) == 130)
    let stderr = (try? FileSystem.readString(process.stderrPath)) ?? ""
    #expect(stderr.contains("mpf: stopped"), "\(stderr)")
    if place == "on_run" {
      let doc = try #require(try MPFCommand.experimentYAML(in: dir))
      #expect(doc["status"]?.string == "stopped")
      #expect((doc["runs"]?.items.count ?? 0) >= 1)
    }
  }

  @Test(.timeLimit(.minutes(1))) func secondCtrlCStopsNowAndLeavesNoProcess() async throws {
    let dir = MPFCommand.temporaryDirectory()
    let mark = String(800_000 + Int.random(in: 0..<99_999))
    let process = try MPFCommand.start([MPFCommand.fixture("long_runs.lua"), "-q", "--", mark], in: dir, marker: "int2")
    let deadline = Clock.monotonic() + 20
    while sleeps(mark) == 0, Clock.monotonic() < deadline { await MPFCommand.pause(0.02) }
    #expect(sleeps(mark) == 1)
    kill(process.pid, SIGINT)
    await MPFCommand.pause(0.2)
    kill(process.pid, SIGINT)
    let start = Clock.monotonic()
    #expect(await MPFCommand.wait(process.pid) == 130)
    #expect(Clock.monotonic() - start < 20)  // the 30 s command did not finish
    let stderr = (try? FileSystem.readString(process.stderrPath)) ?? ""
    #expect(stderr.contains("mpf: stopped: Ctrl-C twice; the run in progress was abandoned"))
    let gone = Clock.monotonic() + 10
    while sleeps(mark) > 0, Clock.monotonic() < gone { await MPFCommand.pause(0.05) }
    #expect(sleeps(mark) == 0)
    let id = try #require(FileSystem.directoryEntries(FileSystem.join(dir, "mpf_experiments")).first)
    let stored = try StoredExperiment.load(FileSystem.join(dir, "mpf_experiments/\(id)"))
    #expect(stored.status == "stopped")
    #expect(stored.rows.isEmpty)
  }


  /// Processes that shed mpf's environment token (env -i) and detach end with their run.
  @Test(.timeLimit(.minutes(1))) func processesThatShedTheirEnvironmentEndWithTheRun() async throws {
    let dir = MPFCommand.temporaryDirectory()
    let mark = String(700_000 + Int.random(in: 0..<99_999) * 2)
    let next = String(Int(mark)! + 1)
    let result = try await MPFCommand.run([MPFCommand.fixture("env_escape.lua"), "-q", "--", mark], in: dir)
    #expect(result.status == 0, "\(result.stderr)")
    // No run sees those of the run before; each sees its own two.
    #expect(result.stdout == "0 0 0\t2 2 2\n", "\(result.stdout)")
    #expect(sleeps(mark) == 0 && sleeps(next) == 0)
  }

  /// The same on the controller, which is no subreaper (its ssh masters detach on purpose):
  /// a cgroup per shell catches what leaves both the process tree and the environment mark.
  @Test(.timeLimit(.minutes(1)), .enabled(if: RunCgroup.available, "needs a writable cgroup v2"))
  func processesTheControllerStartsEndWithItEvenDetached() async throws {
    let dir = MPFCommand.temporaryDirectory()
    let mark = String(800_000 + Int.random(in: 0..<99_999) * 2)
    let next = String(Int(mark)! + 1)
    let result = try await MPFCommand.run([MPFCommand.fixture("controller_escape.lua"), "-q", "--", mark], in: dir)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout == "2\n", "\(result.stdout)")
    #expect(sleeps(mark) == 0 && sleeps(next) == 0, "a detached process outlived mpf")
    for name in [mark, next] { killSleeps(name) }
  }

  private func killSleeps(_ mark: String) {
    for name in FileSystem.directoryEntries("/proc") {
      guard let pid = pid_t(name), (try? FileSystem.readString("/proc/\(name)/cmdline")) == "sleep\0\(mark)\0" else { continue }
      kill(pid, SIGKILL)
    }
  }

  private func sleeps(_ mark: String) -> Int {
    FileSystem.directoryEntries("/proc").filter { name in
      guard let pid = pid_t(name), let command = try? FileSystem.readString("/proc/\(name)/cmdline") else { return false }
      return command == "sleep\0\(mark)\0" && !ProcessTree.hasEnded(pid)
    }.count
  }
}
