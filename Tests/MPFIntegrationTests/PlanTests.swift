import Testing
import MPFCore
import MPFResults
import MPFSystem

/// `mpf plan`: the order shown is the order a run with the same seed takes.
@Suite struct PlanTests {
  @Test func thePlanIsTheOrderTheRunTakesAndTheEstimateUsesTheLastRun() async throws {
    let dir = MPFCommand.temporaryDirectory()
    let script = FileSystem.join(MPFCommand.repository, "examples/math.lua")
    let plan = try await MPFCommand.run(["plan", script, "--all"], in: dir)
    #expect(plan.status == 0, "\(plan.stderr)")
    #expect(plan.stdout.hasPrefix("\(script): 16 runs = 8 points × 2 repetitions\n"))
    #expect(plan.stdout.contains("init checker on localhost  \(script):18"))
    #expect(plan.stdout.contains("estimated: no earlier experiment of this script"))
    #expect(!FileSystem.exists(FileSystem.join(dir, "mpf_experiments")), "mpf plan ran something")
    // Lines `   N  values #repetition`.
    let planned = plan.stdout.split(separator: "\n").drop { !$0.hasPrefix("order") }.dropFirst().map {
      String($0.drop { $0 == " " }.drop { $0 != " " }.dropFirst(2))
    }
    #expect(planned.count == 16)
    // The same script run: its runs, in index order, are the plan's.
    #expect(try await MPFCommand.run([script, "-q"], in: dir).status == 0)
    let stored = try StoredExperiment.load(try #require(MPFCommand.experimentDirectory(in: dir)))
    let ran = stored.rows.sorted { $0.index < $1.index }.map { row in
      (zip(stored.variables, row.values).map { "\($0.name)=\($0.label(of: $1))" } + ["#\(row.repetition)"]).joined(separator: " ")
    }
    #expect(planned == ran)
    let again = try await MPFCommand.run(["plan", script], in: dir)
    #expect(again.stdout.contains("16 runs ×"))
    #expect(again.stdout.contains("the mean run of experiment \(stored.id)"))
    #expect(again.stdout.contains("first 16 of 16") == false)
  }

  /// Adaptive repetitions: check and plan accept what a run accepts, the plan says the rule and
  /// its bound, and `--n-runs N` overrides the rule (N runs of each point), in the plan and the run.
  @Test func adaptiveRepetitionsAreCheckedPlannedAndOverriddenAsTheyRun() async throws {
    let dir = MPFCommand.temporaryDirectory()
    let script = MPFCommand.fixture("adaptive.lua")
    let check = try await MPFCommand.run(["check", script], in: dir)
    #expect(check.status == 0, "\(check.stderr)")
    let plan = try await MPFCommand.run(["plan", script], in: dir)
    #expect(plan.status == 0, "\(plan.stderr)")
    #expect(plan.stdout.hasPrefix("\(script): 6 to 18 runs = 2 points × 3 to 9 repetitions (until the 95% interval of v is within 5% of its mean)\n"), "\(plan.stdout)")
    let once = try await MPFCommand.run(["plan", script, "--n-runs", "1"], in: dir)
    #expect(once.stdout.hasPrefix("\(script): 2 runs = 2 points × 1 repetition\n"), "\(once.stdout)")
    let run = try await MPFCommand.run([script, "-q", "--n-runs", "1"], in: dir)
    #expect(run.status == 0, "\(run.stderr)")
    #expect(run.stdout == "1\t1\n", "one run of each point: \(run.stdout)")
    // Its progress shows the most runs the rule may take.
    let adaptive = try await MPFCommand.run([script], in: dir)
    #expect(adaptive.stderr.contains("[1/6 (≤ 18)] "), "\(adaptive.stderr)")
  }

  @Test func aScriptWithMistakesIsNotPlanned() async throws {
    let dir = MPFCommand.temporaryDirectory()
    let result = try await MPFCommand.run(["plan", MPFCommand.fixture("check_mistakes.lua"), "--", FileSystem.join(dir, "ran")], in: dir)
    #expect(result.status == 1)
    #expect(result.stderr.contains("parameter 'sise' is neither ctx nor a variable"))
    #expect(!FileSystem.exists(FileSystem.join(dir, "ran")))
  }
}
