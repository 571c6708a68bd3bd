import Testing
import MPFCore
import MPFYAML
import MPFSystem
import MPFText

/// Trust class 6: what a run leaves behind on a node is bounded (no zombie, no folder).
@Suite struct BoundedProcessTests {
  /// 30 runs, each starting daemons that end on their own (and `iperf3 -D -s -1` with its
  /// client, the README's pattern): none stays a zombie child of the worker.
  @Test(.timeLimit(.minutes(2))) func daemonsThatEndOnTheirOwnAreReaped() async throws {
    let dir = MPFCommand.temporaryDirectory()
    let counts = FileSystem.join(dir, "zombies")
    let port = FileSystem.exists("/usr/bin/iperf3") ? "\(40000 + Int(ThisProcess.id) % 20000)" : ""
    let result = try await MPFCommand.run([MPFCommand.fixture("orphans.lua"), "-q", "--", counts, port], in: dir)
    #expect(result.status == 0, "stderr: \(result.stderr)")
    let seen = try FileSystem.readString(counts).lines().map { $0.trimmed() }
    #expect(seen == Array(repeating: "0", count: 30))
  }

  /// `mpf exp.lua | head -n 1`: the reader leaves after a line; the experiment goes on without
  /// it and ends recorded, every run in experiment.yaml (SIGPIPE killed it after two runs, with
  /// no status stored).
  @Test(.timeLimit(.minutes(1))) func anExperimentOutlivesTheReaderOfItsOutput() async throws {
    let dir = MPFCommand.temporaryDirectory()
    let command = "\(ShellQuote.quote(MPFCommand.binary)) \(ShellQuote.quote(MPFCommand.fixture("pipe_reader_leaves.lua"))) 2>&1 | head -n 1; echo \"mpf: ${PIPESTATUS[0]}\""
    let result = try await MPFCommand.runProgram(["bash", "-c", command], in: dir)
    #expect(result.stdout.lines().last == "mpf: 0", "\(result.stdout)")
    let doc = try #require(try MPFCommand.experimentYAML(in: dir))
    #expect(doc["status"]?.string == "completed")
    #expect(doc["runs"]?.items.count == 20)
  }

  /// A worker told to end (SIGTERM) removes its temporary folder, as when its controller goes:
  /// nothing of it is left in $TMPDIR.
  @Test(.timeLimit(.minutes(1))) func aWorkerToldToEndLeavesNoTemporaryFolder() async throws {
    let dir = MPFCommand.temporaryDirectory()
    let tmp = FileSystem.join(dir, "tmp")
    try FileSystem.createDirectory(tmp)
    let pidfile = FileSystem.join(dir, "pid")
    let process = try MPFCommand.start(
      [MPFCommand.fixture("worker_told_to_end.lua"), "-q", "--", pidfile], in: dir, prefix: ["env", "TMPDIR=\(tmp)"])
    var pid: Int32?
    for _ in 0..<200 where pid == nil {
      pid = (try? FileSystem.readString(pidfile)).flatMap { Int32($0.trimmed()) }
      if pid == nil { await MPFCommand.pause(0.05) }
    }
    let worker = try #require(pid, "the worker did not start")
    let folders = FileSystem.directoryEntries(tmp).filter { $0.hasPrefix("mpf-worker-") }
    #expect(folders.count == 1, "\(folders)")
    Signal.send(.terminate, to: worker)
    var left = folders
    for _ in 0..<100 where !left.isEmpty {
      await MPFCommand.pause(0.05)
      left = folders.filter { FileSystem.exists(FileSystem.join(tmp, $0)) }
    }
    #expect(left.isEmpty, "the worker's folder \(left) is left behind")
    Signal.send(.terminate, to: process.pid)
    _ = await MPFCommand.wait(process.pid)
  }
}
