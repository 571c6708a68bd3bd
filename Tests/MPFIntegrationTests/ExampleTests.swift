import Testing
import MPFCore
import MPFYAML
import MPFResults
import MPFCluster
import MPFWorker
import MPFHost
import MPFSystem
import MPFText


/// The examples run exactly as the README shows.
@Suite struct ExampleTests {
  @Test func mathExampleMatchesItsGoldenOutput() async throws {
    let dir = MPFCommand.temporaryDirectory()
    let result = try await MPFCommand.run([FileSystem.join(MPFCommand.repository, "examples/math.lua")], in: dir)
    #expect(result.status == 0, "stderr: \(result.stderr)")
    let golden = FileSystem.join(MPFCommand.repository, "Tests/MPFIntegrationTests/Golden/math.stdout")
    if getenvString("MPF_RECORD") == "1" { try FileSystem.writeAtomically(golden, Array(result.stdout.utf8)) }
    #expect(result.stdout == (try FileSystem.readString(golden)))
    #expect(result.stderr.contains("mpf: 16 runs in"))

    let doc = try #require(try MPFCommand.experimentYAML(in: dir))
    #expect(doc["status"]?.string == "completed")
    #expect(doc["seed"]?.intValue == 1)
    let runs = doc["runs"]?.items ?? []
    #expect(runs.count == 16)
    #expect(runs.allSatisfy { $0["status"]?.string == "ok" })
    #expect(runs.allSatisfy { $0["results"]?["buffer"]?["unit"]?.string == "bytes" })
    #expect(doc["roles"]?.items.compactMap { $0["name"]?.string } == ["checker", "calculator"])
    let experimentDir = try #require(MPFCommand.experimentDirectory(in: dir))
    #expect(FileSystem.exists(FileSystem.join(experimentDir, "math.lua")))
    let log = try FileSystem.readString(FileSystem.join(experimentDir, try #require(runs[0]["log"]?.string)))
    #expect(log.contains("$ echo $(( "))
  }

  /// examples/deploy.lua builds examples/spin at three levels and times each; -O0 is the slowest.
  @Test(.timeLimit(.minutes(2))) func deployExampleBuildsEachLevelOnceAndTimesIt() async throws {
    let dir = MPFCommand.temporaryDirectory()
    let script = FileSystem.join(MPFCommand.repository, "examples/deploy.lua")
    let result = try await MPFCommand.run([script], in: dir, prefix: ["env", "XDG_CACHE_HOME=\(dir)/cache"])
    #expect(result.status == 0, "stderr: \(result.stderr)")
    for level in ["-O0", "-O1", "-O2"] {
      #expect(result.stderr.contains("mpf: deploy spin [opt=\(level)] on localhost: 2 files copied, 1 build step"), "\(result.stderr)")
    }
    let stored = try StoredExperiment.load(try #require(MPFCommand.experimentDirectory(in: dir)))
    let mean = { (level: String) -> Double in
      let times = stored.rows.filter { $0.values.first == .string(level) }.compactMap { $0.results["time"]?.quantity?.value }
      return times.reduce(0, +) / Double(max(times.count, 1))
    }
    #expect(stored.rows.count == 9 && stored.rows.allSatisfy { $0.status == .ok })
    #expect(mean("-O0") > mean("-O2"), "-O0 \(mean("-O0")) s, -O2 \(mean("-O2")) s")
  }

  /// examples/bisect.lua on the history examples/make-history.sh makes, as its header says: the
  /// slowdown is found at commit 8, whatever the order of probes; commit 6 does not build.
  @Test(.timeLimit(.minutes(3))) func bisectExampleFindsTheSlowdown() async throws {
    let dir = MPFCommand.temporaryDirectory()
    let history = FileSystem.join(dir, "history")
    let made = try await MPFCommand.runProgram([FileSystem.join(MPFCommand.repository, "examples/make-history.sh"), history], in: dir)
    try #require(made.status == 0, "\(made.stderr)")
    let result = try await MPFCommand.run(
      ["bisect", FileSystem.join(MPFCommand.repository, "examples/bisect.lua"), "--variable", "version", "--good", "v1", "--bad", "main",
       "--on", "time", "-q", "-n", "9", "--", history],
      in: dir, prefix: ["env", "XDG_CACHE_HOME=\(dir)/cache"])
    #expect(result.status == 0, "stderr: \(result.stderr)")
    #expect(result.stdout.contains(" count each step twice for accuracy\n") && result.stdout.contains("first bad commit: "), "\(result.stdout)")
    let found = try #require(result.stdout.split(separator: "\n").first { $0.hasPrefix("first bad commit: ") })
    #expect(found.hasSuffix("count each step twice for accuracy"), "\(result.stdout)")
  }

  @Test(.timeLimit(.minutes(3))) func iperfExampleMeasuresGoodput() async throws {
    let dir = MPFCommand.temporaryDirectory()
    let marker = MPFCommand.uniqueMarker()
    let result = try await MPFCommand.run(
      [FileSystem.join(MPFCommand.repository, "examples/iperf.lua"), "-n", "1", "--", "1"], in: dir, marker: marker)
    #expect(result.status == 0, "stderr: \(result.stderr)")
    let rows = result.stdout.lines().filter { $0.hasSuffix("bits/s") }
    #expect(rows.count == 16)
    let doc = try #require(try MPFCommand.experimentYAML(in: dir))
    let goodputs = (doc["runs"]?.items ?? []).compactMap { $0["results"]?["goodput"]?["value"]?.doubleValue }
    #expect(goodputs.count == 16)
    #expect(goodputs.allSatisfy { $0 > 1e6 })
    // Goodput is a rate: bits per second.
    #expect((doc["runs"]?.items ?? []).allSatisfy { $0["results"]?["goodput"]?["unit"]?.string == "bits/s" })
    #expect(MPFCommand.processes(marked: marker).isEmpty)
  }
}

#if canImport(Glibc)
  import Glibc
#endif

func getenvString(_ name: String) -> String? { getenv(name).map { String(cString: $0) } }
