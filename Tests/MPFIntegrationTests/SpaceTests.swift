import Testing
import MPFCore
import MPFYAML
import MPFSystem
import MPFText

/// Points that run: `when` (a table or a function), mpf.exclude, mpf.zip, geometric and
/// log-spaced values, a list built by a function.
@Suite struct SpaceTests {
  /// 192 combinations (2×2×4×2×2×3, rate and burst zipped). Listed: variant tcp has 1
  /// scheduler slot, mptcp 2; pin applies to 4 cores only: 3 × 4 × (1 + 2) × 3 = 108 (84 collapse).
  /// Excluded (parallel > cores): per slot and rate, 3 with 1 core and 2 with 4: 5 × 3 × 3 = 45.
  @Test(.timeLimit(.minutes(1))) func onlyPointsThatApplyRunAndTheirCellsAreMissingElsewhere() async throws {
    let dir = MPFCommand.temporaryDirectory()
    let script = MPFCommand.fixture("space.lua")
    let plan = try await MPFCommand.run(["plan", script], in: dir)
    #expect(plan.stdout.contains("63 runs = 63 points × 1 repetition"), "\(plan.stdout)")
    #expect(plan.stdout.contains("63 points of 192 combinations: 84 where a variable does not apply, 45 excluded"), "\(plan.stdout)")
    let result = try await MPFCommand.run([script], in: dir)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout == "63\n", "\(result.stdout)")
    #expect(result.stderr.contains("mpf: 63 points of 192 combinations: 84 where a variable does not apply, 45 excluded"))
    let doc = try #require(try MPFCommand.experimentYAML(in: dir))
    #expect(doc["points"]?["excluded"]?.intValue == 45)
    let runs = doc["runs"]?.items ?? []
    let seen = Set(runs.compactMap { $0["results"]?["seen"]?.string })
    #expect(seen.contains("-/nil/10/1") && seen.contains("redundant/true/100/2") && seen.contains("default/false/1000/3"), "\(seen)")
    #expect(!seen.contains { $0.hasSuffix("/10/2") || $0.hasSuffix("/100/3") }, "zipped values came apart")
    let experiment = try #require(MPFCommand.experimentDirectory(in: dir))
    let show = try await MPFCommand.run(["show", experiment], in: dir)
    #expect(show.stdout.lines().contains { $0.hasPrefix("tcp      -") }, "\(show.stdout)")
    let resume = try await MPFCommand.run(["resume", experiment], in: dir)
    #expect(resume.status == 0, "\(resume.stderr)")
    #expect(resume.stderr.contains("63 of 63 runs done, 0 to run") && !resume.stderr.contains("are new"), "\(resume.stderr)")
    // Where a variable does not apply, every view shows `-`, never `nil`: the plan, the report.
    let all = try await MPFCommand.run(["plan", script, "--all"], in: dir)
    #expect(all.stdout.contains("variant=tcp scheduler=- "), "\(all.stdout)")
    #expect(!all.stdout.contains("=nil"), "\(all.stdout)")
    let report = try FileSystem.readString(FileSystem.join(experiment, "report.html"))
    #expect(report.contains("<td>-</td>") && !report.contains("<td>nil</td>"))
  }

  /// Adaptive repetitions: the quiet point stops at min (its interval is narrow), the noisy one
  /// runs to max; experiment.yaml says why each stopped; a resume has nothing left to do.
  @Test(.timeLimit(.minutes(1))) func adaptiveRepetitionsStopEachPointWhenItsIntervalIsNarrow() async throws {
    let dir = MPFCommand.temporaryDirectory()
    let result = try await MPFCommand.run([MPFCommand.fixture("adaptive.lua"), "-q"], in: dir)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout == "3\t9\n", "\(result.stdout)")
    let doc = try #require(try MPFCommand.experimentYAML(in: dir))
    #expect(doc["adaptive"]?["until_ci"]?.doubleValue == 0.05)
    let stopped = doc["points_stopped"]?.items ?? []
    #expect(stopped.map { $0["reason"]?.string } == ["converged", "max"])
    #expect(stopped.map { $0["runs"]?.intValue } == [3, 9])
    let experiment = try #require(MPFCommand.experimentDirectory(in: dir))
    let resumed = try await MPFCommand.run(["resume", experiment], in: dir)
    #expect(resumed.status == 0 && resumed.stderr.contains("0 to run") && !resumed.stderr.contains("no longer"), "\(resumed.stderr)")
    #expect(resumed.stdout == "3\t9\n")
  }

  /// mpf.search finds each combination's threshold (37, 74, 148 of 1..200) in at most
  /// ⌈log2 200⌉ + 1 probes, and experiment.yaml keeps the answer.
  @Test(.timeLimit(.minutes(1))) func aSearchConvergesOnTheThresholdOfEachCombination() async throws {
    let dir = MPFCommand.temporaryDirectory()
    let result = try await MPFCommand.run([MPFCommand.fixture("search.lua"), "-q"], in: dir)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.hasSuffix("\t148.0\n"), "\(result.stdout)")
    let doc = try #require(try MPFCommand.experimentYAML(in: dir))
    let found = (doc["search"]?.items ?? []).map { [$0["values"]?["buffer"]?.intValue ?? 0, $0["highest_ok"]?.intValue ?? 0] }
    #expect(found == [[1, 37], [2, 74], [4, 148]], "\(found)")
    #expect((doc["search"]?.items ?? []).allSatisfy { ($0["probes"]?.intValue ?? 99) <= 9 })
    let experiment = try #require(MPFCommand.experimentDirectory(in: dir))
    let resume = try await MPFCommand.run(["resume", experiment], in: dir)
    #expect(resume.status != 0 && resume.stderr.contains("cannot be resumed yet"), "\(resume.stderr)")
  }

  /// The points a design chose, written by mpf plan, run again exactly from the file; a value
  /// the variable does not have is an error at the file's line.
  @Test(.timeLimit(.minutes(1))) func chosenPointsGoOutToAFileAndComeBackExactly() async throws {
    let dir = MPFCommand.temporaryDirectory()
    let chosen = FileSystem.join(dir, "chosen.csv")
    let plan = try await MPFCommand.run(["plan", FileSystem.join(MPFCommand.repository, "bench/design.lua"), "--points-out", chosen, "--", "wsp"], in: dir)
    #expect(plan.status == 0, "\(plan.stderr)")
    let text = try FileSystem.readString(chosen)
    #expect(text.lines().first == "x1,x2,x3,x4,x5" && text.lines().count == 101)
    let script = """
      for i = 1, 4 do mpf.add_variable('x' .. i, mpf.range(1, 7)) end
      mpf.add_variable('x5', mpf.range(1, 4))
      mpf.run{role = 'node'}(function(x1) return {v = x1} end)
      mpf.run_experiment{n_runs = 1, seed = 3, design = {file = 'chosen.csv'}}
      """
    try FileSystem.writeAtomically(FileSystem.join(dir, "again.lua"), Array(script.utf8))
    let result = try await MPFCommand.run(["again.lua", "-q"], in: dir)
    #expect(result.status == 0, "\(result.stderr)")
    let doc = try #require(try MPFCommand.experimentYAML(in: dir))
    let ran = Set((doc["runs"]?.items ?? []).map { run in (1...5).map { run["values"]?["x\($0)"]?.intValue ?? 0 }.map(String.init).joined(separator: ",") })
    #expect(ran == Set(text.lines().dropFirst().filter { !$0.isEmpty }), "the runs are not the file's points")
    var lines = text.lines()
    lines[2] = "9,9,9,9,9"
    try FileSystem.writeAtomically(chosen, Array(lines.joined(separator: "\n").utf8))
    let bad = try await MPFCommand.run(["again.lua", "-q"], in: dir)
    #expect(bad.status != 0 && bad.stderr.contains("chosen.csv:3: error: '9' is not a value of 'x1' (values: 1, 2, 3, 4, 5, 6, 7)"), "\(bad.stderr)")
  }

  /// The original mpf's forms: mpf.add_wsp_variable with a {min, max} range and wsp_target;
  /// mpf.search declaring its variable from low, high and precision.
  @Test(.timeLimit(.minutes(1))) func theOriginalsFormsAndASearchThatDeclaresItsVariable() async throws {
    let dir = MPFCommand.temporaryDirectory()
    let wsp = """
      mpf.add_wsp_variable('a', {min = 0, max = 1})
      mpf.add_wsp_variable('b', {1, 2, 3})
      mpf.run{role = 'node'}(function(a, b) return {v = a * b} end)
      mpf.run_experiment{n_runs = 1, wsp_target = 10}
      """
    try FileSystem.writeAtomically(FileSystem.join(dir, "wsp.lua"), Array(wsp.utf8))
    let plan = try await MPFCommand.run(["plan", "wsp.lua"], in: dir)
    #expect(plan.stdout.contains("10 points of 303 combinations: 10 chosen by wsp among 303"), "\(plan.stdout) \(plan.stderr)")
    let search = """
      mpf.search{var = 'rate', low = 0, high = 10, precision = 0.5, ok = function(row) return row.fine end}
      mpf.run{role = 'node'}(function(rate) return {fine = rate <= 6.5} end)
      mpf.run_experiment{seed = 1}
      """
    try FileSystem.writeAtomically(FileSystem.join(dir, "search.lua"), Array(search.utf8))
    let result = try await MPFCommand.run(["search.lua", "-q"], in: dir)
    #expect(result.status == 0, "\(result.stderr)")
    let doc = try #require(try MPFCommand.experimentYAML(in: dir))
    #expect(doc["search"]?.items.first?["highest_ok"]?.doubleValue == 6.5, "\(String(describing: doc["search"]))")
    #expect((doc["search"]?.items.first?["probes"]?.intValue ?? 99) <= 6)
  }

  /// A design chooses among the points left; the plan shows it and a run keeps it.
  @Test(.timeLimit(.minutes(1))) func aDesignChoosesAmongThePointsLeft() async throws {
    let dir = MPFCommand.temporaryDirectory()
    let script = FileSystem.join(MPFCommand.repository, "bench/design.lua")
    let plan = try await MPFCommand.run(["plan", script, "--", "wsp"], in: dir)
    #expect(plan.stdout.contains("100 runs = 100 points × 1 repetition"), "\(plan.stdout)")
    #expect(plan.stdout.contains("100 points of 9604 combinations: 100 chosen by wsp among 9604"), "\(plan.stdout)")
    let again = try await MPFCommand.run(["plan", script, "--", "wsp"], in: dir)
    #expect(again.stdout == plan.stdout)
    let result = try await MPFCommand.run([script, "-q", "--", "lhs"], in: dir)
    #expect(result.status == 0, "\(result.stderr)")
    let doc = try #require(try MPFCommand.experimentYAML(in: dir))
    #expect(doc["points"]?["design"]?.string == "lhs" && doc["points"]?["candidates"]?.intValue == 9604)
    #expect(doc["runs"]?.items.count == 100)
  }

  @Test(.timeLimit(.minutes(1)), arguments: [
    ("mpf.add_variable('a', {1})\nmpf.add_variable('b', {1}, {when = {c = 1}})", "x.lua:2: error: variable 'b': when names 'c', which is not a variable declared before it (variables: a)"),
    ("mpf.add_variable('a', {1})\nmpf.add_variable('b', {1}, {when = {a = 2}})", "x.lua:2: error: variable 'b': when a = 2, which is not a value of 'a' (values: 1)"),
    ("mpf.add_variable('a', {1, 2})\nmpf.add_variable('b', {1})\nmpf.zip('a', 'b')", "x.lua:3: error: mpf.zip: 'a' has 2 values and 'b' 1"),
    ("mpf.exclude('a > b')", "x.lua:1: error: mpf.exclude expects a function"),
    ("mpf.add_variable('a', mpf.geometric(1, 10, 0.5))", "x.lua:1: error: mpf.geometric(1, 10, 0.5) never reaches 10"),
  ])
  func mistakesAreReportedAtTheirLine(source: String, message: String) async throws {
    let dir = MPFCommand.temporaryDirectory()
    try FileSystem.writeAtomically(FileSystem.join(dir, "x.lua"), Array((source + "\nmpf.run{role = 'n'}(function() end)\nmpf.run_experiment{}\n").utf8))
    let result = try await MPFCommand.run(["x.lua", "-q"], in: dir)
    #expect(result.status != 0)
    #expect(result.stderr.contains(message), "\(result.stderr)")
  }
}
