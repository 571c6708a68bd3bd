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

@Suite struct RunBehaviourTests {
  @Test func everyProcessARunStartedEndsWithTheRun() async throws {
    let dir = MPFCommand.temporaryDirectory()
    let marker = MPFCommand.uniqueMarker()
    let pids = FileSystem.join(dir, "pids")
    let result = try await MPFCommand.run([MPFCommand.fixture("processes.lua"), "-q", "--", pids], in: dir, marker: marker)
    #expect(result.status == 0, "stderr: \(result.stderr)")
    let leaked = result.stdout.lines().dropFirst().compactMap { $0.split(separator: " ").last.flatMap { Int($0) } }
    #expect(leaked == [0, 0, 0, 0])
    let started = try FileSystem.readString(pids).lines().compactMap { pid_t($0) }
    #expect(started.count == 8)
    #expect(started.allSatisfy { ProcessTree.hasEnded($0) })
    #expect(MPFCommand.processes(marked: marker).isEmpty)
  }

  /// A fresh folder holding the script `name` of `text`: the folder and the script's path.
  static func script(_ name: String, _ text: String) throws -> (dir: String, path: String) {
    let dir = MPFCommand.temporaryDirectory()
    let path = FileSystem.join(dir, name)
    try FileSystem.writeAtomically(path, Array(text.utf8))
    return (dir, path)
  }

  /// The script's Lua table of a variable's values is not kept while the experiment runs: the
  /// host has them (a variable of 100 000 values was 2.2 MiB of Lua heap for the whole run).
  @Test func theScriptsValuesLeaveLuaWhenTheRunsStart() async throws {
    let (dir, script) = try Self.script(
      "big.lua",
      """
      mpf.add_variable('i', mpf.range(1, 100000))
      mpf.run{role = 'node'}(function(i) error('stop here') end)
      mpf.run_experiment{n_runs = 1, seed = 1, on_error = 'stop', on_run = function(data, row)
        print(('lua heap: %d KiB'):format(math.floor(collectgarbage('count'))))
      end}

      """)
    let result = try await MPFCommand.run([script, "-q"], in: dir)
    #expect(result.status != 0, "the run fails and stops the experiment")
    let line = try #require(result.stdout.lines().first { $0.hasPrefix("lua heap: ") }, "\(result.stdout)\n\(result.stderr)")
    let kilobytes = try #require(Int(line.dropFirst("lua heap: ".count).prefix { $0.isNumber }))
    #expect(kilobytes < 1000, "\(line)")
  }

  /// Once the values have left Lua, what would need them says so: a second run_experiment (in
  /// the script, under pcall, in on_run) and a variable declared after the experiment.
  @Test(arguments: [
    ("mpf.run_experiment{n_runs = 1}\nmpf.run_experiment{n_runs = 1}\n", "big.lua:4: error: mpf.run_experiment may be called once per script"),
    ("mpf.run_experiment{n_runs = 1}\nprint(select(2, pcall(mpf.run_experiment, {n_runs = 1})))\n", "mpf.run_experiment may be called once per script"),
    ("mpf.run_experiment{n_runs = 1}\nmpf.add_variable('late', {1, 2}, {when = {x = 1}})\n",
     "big.lua:4: error: mpf.add_variable('late') after mpf.run_experiment: the experiment has run; declare its variables before it"),
  ])
  func whatNeedsTheValuesAfterTheRunsSaysSo(ending: String, said: String) async throws {
    let (dir, script) = try Self.script("big.lua", "mpf.add_variable('x', {1, 2})\nmpf.run{role = 'node'}(function(x) return {y = x} end)\n" + ending)
    let result = try await MPFCommand.run([script, "-q"], in: dir)
    #expect((result.stdout + result.stderr).contains(said), "\(result.stdout)\(result.stderr)")
    #expect(!result.stderr.contains("nil value"), "\(result.stderr)")
  }

  /// A `__gc` finalizer that prints, run as the script's Lua state closes (controller and
  /// worker): mpf ended with a Swift crash (exit 134) after the results were written.
  @Test func aFinalizerAtTheEndDoesNotCrashMpf() async throws {
    let (dir, script) = try Self.script(
      "gc.lua",
      """
      mpf.add_variable('x', {1})
      mpf.run{role = 'a'}(function(x) return {v = x} end)
      KEEP = setmetatable({}, {__gc = function() print('finalizer at close') end})
      local df = mpf.run_experiment{n_runs = 1, seed = 1}
      print('done', #df)

      """)
    let result = try await MPFCommand.run([script, "-q"], in: dir)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("done\t1"), "\(result.stdout)")
    #expect(!result.stderr.contains("Fatal error"), "\(result.stderr)")
  }

  /// mpf.wait_port on the server's own machine looks for the listening socket without
  /// connecting: `iperf3 -s -1` keeps its one connection for the client (it lost it to the wait).
  @Test func waitingForAOneConnectionServerLeavesItsConnection() async throws {
    let dir = MPFCommand.temporaryDirectory()
    let port = 20000 + Int(ThisProcess.id % 20000)
    let result = try await MPFCommand.run([MPFCommand.fixture("wait_port_once.lua"), "-q", "--", String(port)], in: dir)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.lines() == ["ok\ttrue", "ok\ttrue"], "\(result.stdout)")
  }

  /// An error that ends run after run is said in full three times, then once with its count and
  /// the way to stop, not twelve times.
  @Test func theSameErrorIsSaidAFewTimesThenCounted() async throws {
    let dir = MPFCommand.temporaryDirectory()
    let result = try await MPFCommand.run([MPFCommand.fixture("same_error.lua")], in: dir)
    #expect(result.status == 3, "\(result.stderr)")
    let said = result.stderr.lines().filter { $0.contains("failed: ") && $0.contains("same_error.lua:5: attempt to index a nil value") }
    #expect(said.count == 3, "\(result.stderr)")
    #expect(result.stderr.contains("mpf: 3 runs failed with this same error") && result.stderr.contains("on_error = 'stop'"))
    #expect(result.stderr.contains("12 runs, 12 failed"), "\(result.stderr)")
  }

  @Test func theDataframeIsAnObjectScriptsCannotForge() async throws {
    let dir = MPFCommand.temporaryDirectory()
    let yaml = FileSystem.join(dir, "df.yaml")
    let result = try await MPFCommand.run([MPFCommand.fixture("dataframe_object.lua"), "-q", "--", yaml], in: dir)
    #expect(result.status == 0, "stderr: \(result.stderr)")
    #expect(result.stdout.lines() == [
      "userdata\t2\t6\tx,y\tmpf.DataFrame",
      "false\tbad argument #1 to 'rawset' (table expected, got mpf.DataFrame)",
      // Errors point at the script's lines, never inside mpf's library (under pcall too).
      "false\t\(MPFCommand.fixture("dataframe_object.lua")):8: expects a dataframe",
      "false\t\(MPFCommand.fixture("dataframe_object.lua")):9: expects a dataframe",
      "0\tok\tnil",
      "false\t\(MPFCommand.fixture("dataframe_object.lua")):12: df:column: no column 'typo' (columns: x, y)",
    ])
    let rows = try #require(try YAMLParser.parse(try FileSystem.readString(yaml))).items
    #expect(rows.map { $0["y"]?.intValue } == [2, 4])
    #expect(rows.first?.pairs.map(\.key) == ["x", "repetition", "y", "status", "error"])
  }

  @Test func dataframeVerbsWorkFromLuaAndMistakesPointAtTheScript() async throws {
    let dir = MPFCommand.temporaryDirectory()
    try FileSystem.writeAtomically(FileSystem.join(dir, "verbs.lua"), try FileSystem.read(MPFCommand.fixture("verbs.lua")))
    let result = try await MPFCommand.run(["verbs.lua", "-q"], in: dir)
    #expect(result.status == 1)
    #expect(result.stdout.lines() == [
      "1\t0.011\t6\t6",
      "2\t0.021\t6\t6",
      "6\t4",
      "0.022 0.022 0.021 0.021 0.02 0.02 0.012 0.012 0.011 0.011 0.01 0.01",
      "2 2 2 2 2 2 4 4 4 4 4 4",
      "a off on\t0.021",
      "24\ttrue",
    ])
    #expect(result.stderr == "verbs.lua:15: error: select: no column 'nope' (columns: a, z, repetition, t, status, error)\n")
  }

  /// Workers and the controller keep their temporary files under $TMPDIR and remove them.
  @Test func nothingIsLeftInTheTemporaryFolder() async throws {
    let dir = MPFCommand.temporaryDirectory()
    let temporary = FileSystem.join(dir, "tmp")
    try FileSystem.createDirectory(temporary)
    let result = try await MPFCommand.runProgram(
      ["env", "TMPDIR=\(temporary)", MPFCommand.binary, MPFCommand.fixture("scratch.lua"), "-q"], in: dir)
    #expect(result.status == 0, "stderr: \(result.stderr)")
    #expect(result.stdout.hasPrefix(temporary + "/mpf-worker-"), "stdout: \(result.stdout)")
    #expect(FileSystem.directoryEntries(temporary) == [])
  }

  @Test func parallelFunctionsRunTogetherAndDelaysWait() async throws {
    let dir = MPFCommand.temporaryDirectory()
    let result = try await MPFCommand.run([MPFCommand.fixture("concurrency.lua"), "-q", "--", FileSystem.join(dir, "flag")], in: dir)
    #expect(result.status == 0, "stderr: \(result.stderr)")
    #expect(result.stdout.lines() == ["seen=true gap_ok=true", "seen=true gap_ok=true"])
  }

  @Test func onRunSeesEachRunAsItArrives() async throws {
    let dir = MPFCommand.temporaryDirectory()
    let result = try await MPFCommand.run([MPFCommand.fixture("on_run.lua"), "-q"], in: dir)
    #expect(result.status == 0, "stderr: \(result.stderr)")
    // Run order for seed 1 is x = 1, 2, 4, 3; the dataframe grows by one each time.
    #expect(result.stdout.lines() == ["1:1:1:ok 2:2:4:ok 3:4:16:ok 4:3:9:ok", "4", "2\t1,2\t1,4"])
  }

  @Test func printsGoToTheLogAndNeverToTheProtocol() async throws {
    let dir = MPFCommand.temporaryDirectory()
    let csv = FileSystem.join(dir, "out.csv")
    let result = try await MPFCommand.run([MPFCommand.fixture("printing.lua"), "-q", "--", csv], in: dir)
    #expect(result.status == 0, "stderr: \(result.stderr)")
    #expect(result.stdout.lines() == ["top level on the controller", "repetition  ok", "         0  true"])
    #expect(result.stderr.contains("raw bytes on fd 1"))
    #expect(try FileSystem.readString(csv) == "repetition,ok,status,error\n0,true,ok,\n")
    let experiment = try #require(MPFCommand.experimentDirectory(in: dir))
    let log = try FileSystem.readString(FileSystem.join(experiment, "logs/run-0000.log"))
    #expect(log.contains("hello from\tchatty"))
  }

  @Test(.timeLimit(.minutes(2))) func killingTheControllerLosesNoFinishedRun() async throws {
    let dir = MPFCommand.temporaryDirectory()
    let marker = MPFCommand.uniqueMarker()
    let process = try MPFCommand.start([MPFCommand.fixture("slow.lua"), "-q"], in: dir, marker: marker)
    // Wait until a few runs are in the file, then kill -9 the controller.
    let file = { MPFCommand.experimentDirectory(in: dir).map { FileSystem.join($0, "experiment.yaml") } }
    let deadline = Clock.monotonic() + 60
    while Clock.monotonic() < deadline {
      if let path = file(), let text = try? FileSystem.readString(path), text.components("- index:") >= 5 { break }
      await MPFCommand.pause(0.02)
    }
    kill(process.pid, SIGKILL)
    _ = await MPFCommand.wait(process.pid)
    let doc = try #require(try MPFCommand.experimentYAML(in: dir))
    let runs = doc["runs"]?.items ?? []
    #expect(runs.count >= 5 && runs.count < 40)
    for run in runs {
      let i = try #require(run["values"]?["i"]?.intValue)
      #expect(run["results"]?["square"]?.intValue == i * i)
    }
    #expect(doc["status"] == nil)
    // The workers notice that the controller is gone and end themselves and their processes.
    let gone = Clock.monotonic() + 10
    while !MPFCommand.processes(marked: marker).isEmpty, Clock.monotonic() < gone { await MPFCommand.pause(0.05) }
    #expect(MPFCommand.processes(marked: marker).isEmpty)
  }
}

extension String {
  func components(_ separator: String) -> Int {
    var count = 0
    var rest = Substring(self)
    while let range = rest.firstRange(of: separator) {
      count += 1
      rest = rest[range.upperBound...]
    }
    return count
  }
}
