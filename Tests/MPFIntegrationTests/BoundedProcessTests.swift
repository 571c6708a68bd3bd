import Testing
import MPFCore
import MPFYAML

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
}
