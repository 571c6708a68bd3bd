import Testing
import MPFCore
import MPFHost

/// Adaptive repetitions: rounds go on for the noisy point only, stop at max, and a resume
/// (the runs so far given back) continues exactly where the experiment stopped.
@Suite struct AdaptiveRunsTests {
  let rule = AdaptiveRule(min: 3, max: 8, untilCI: 0.05, on: "v")
  let variables = [Variable(name: "kind", values: ["quiet", "noisy"])]

  /// What a run of this point returns: the quiet one nearly constant, the noisy one not.
  func row(_ run: PlannedRun) -> ResultRow {
    var row = ResultRow(index: run.index, repetition: run.repetition, values: run.values)
    let value = run.values == ["quiet"] ? 100 + Double(run.repetition % 2) * 0.1 : (run.repetition % 2 == 0 ? 10 : 190)
    row.results["v"] = ResultValue(raw: .number(value))
    row.resultOrder = ["v"]
    return row
  }

  func drain(_ source: inout AdaptiveRuns, after first: ResultRow? = nil) -> [PlannedRun] {
    var runs: [PlannedRun] = []
    var last = first
    while let next = source.next(after: last) {
      runs.append(next)
      last = row(next)
    }
    return runs
  }

  @Test func theNoisyPointRunsToMaxTheQuietOneStopsAtMin() {
    let plan = RunPlan(variables: variables, runCount: 3, seed: 9)
    var source = AdaptiveRuns(rule: rule, plan: plan, remaining: plan.runs, previous: [], seed: 9)
    let runs = drain(&source)
    #expect(runs.filter { $0.values == ["quiet"] }.count == 3)
    #expect(runs.filter { $0.values == ["noisy"] }.map(\.repetition).sorted() == Array(0..<8))
    #expect(Set(runs.map(\.index)).count == runs.count, "indices are unique")
    #expect(runs.prefix(6).map(\.index) == Array(0..<6))
  }

  @Test func aResumeContinuesTheSameRule() {
    let plan = RunPlan(variables: variables, runCount: 3, seed: 9)
    var whole = AdaptiveRuns(rule: rule, plan: plan, remaining: plan.runs, previous: [], seed: 9)
    let all = drain(&whole)
    // Stopped after 7 runs: the stored rows go back in, the plan's remaining runs are none.
    let stored = all.prefix(7).map(row)
    let done = Set(stored.map { "\($0.values)-\($0.repetition)" })
    let left = plan.runs.subset { !done.contains("\($0.values)-\($0.repetition)") }
    var resumed = AdaptiveRuns(rule: rule, plan: plan, remaining: left, previous: stored, seed: 9)
    let rest = drain(&resumed)
    #expect(rest.count == all.count - 7, "\(rest.map(\.repetition))")
    #expect(Set(rest.map { "\($0.values)-\($0.repetition)" }) == Set(all.dropFirst(7).map { "\($0.values)-\($0.repetition)" }))
  }

  func stop(_ values: [Double], attempts: Int) -> String? {
    var tally = AdaptiveRuns.Tally()
    (tally.values, tally.attempts) = (values, attempts)
    return tally.stop(rule)
  }

  @Test func reasons() {
    #expect(stop([100, 100.1, 100], attempts: 3) == "converged")
    #expect(stop([100, 100.1], attempts: 2) == nil)
    #expect(stop([10, 190, 10], attempts: 3) == nil)
    #expect(stop([10, 190, 10, 190, 10, 190, 10, 190], attempts: 8) == "max")
    #expect(stop([], attempts: 8) == "max")
  }
}
