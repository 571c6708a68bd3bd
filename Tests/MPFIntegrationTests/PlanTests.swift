import Testing
import MPFCore
import MPFResults

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

  @Test func aScriptWithMistakesIsNotPlanned() async throws {
    let dir = MPFCommand.temporaryDirectory()
    let result = try await MPFCommand.run(["plan", MPFCommand.fixture("check_mistakes.lua"), "--", FileSystem.join(dir, "ran")], in: dir)
    #expect(result.status == 1)
    #expect(result.stderr.contains("parameter 'sise' is neither ctx nor a variable"))
    #expect(!FileSystem.exists(FileSystem.join(dir, "ran")))
  }
}
