import Testing
import MPFCore
import MPFResults
import MPFHost

/// What a resume runs again: the arithmetic over stored runs and the script's plan now.
@Suite struct ResumePointTests {
  private func stored(_ variables: [Variable], runCount: Int, seed: UInt64, rows: [ResultRow]) -> StoredExperiment {
    StoredExperiment(
      directory: "d", id: "abc", scriptPath: "e.lua", scriptCopy: "d/e.lua", arguments: [], seed: seed, runCount: runCount,
      started: 0, resumed: [], variables: variables, rows: RunRecords(rows))
  }

  private func row(_ plan: RunPlan, _ index: Int, _ status: RunStatus) -> ResultRow {
    let run = plan.runs[index]
    var row = ResultRow(index: run.index, repetition: run.repetition, values: run.values)
    if status != .ok { row.fail("x", status: status) }
    return row
  }

  @Test func onlyMissingAndNodeLostRunsRunAgainInPlanOrder() {
    let x = Variable(name: "x", values: [1, 2, 3])
    let plan = RunPlan(variables: [x], runCount: 2, seed: 5)
    let rows = [row(plan, 0, .ok), row(plan, 1, .failed), row(plan, 2, .nodeLost), row(plan, 3, .timeout)]
    let point = ResumePoint(stored: stored([x], runCount: 2, seed: 5, rows: rows), plan: plan, retryFailed: false)
    #expect(point.kept.map(\.index) == [0, 1, 3])
    #expect(point.remaining.map(\.index) == [2, 4, 5])
    #expect((point.removed, point.added, point.planned) == (0, 0, 6))
    #expect(point.messages(id: "abc") == ["mpf: resuming abc: 3 of 6 runs done, 3 to run"])
  }

  @Test func retryFailedRunsFailedAndTimedOutRunsAgain() {
    let x = Variable(name: "x", values: [1, 2])
    let plan = RunPlan(variables: [x], runCount: 1, seed: 1)
    let point = ResumePoint(
      stored: stored([x], runCount: 1, seed: 1, rows: [row(plan, 0, .timeout), row(plan, 1, .ok)]), plan: plan, retryFailed: true)
    #expect(point.remaining.map(\.index) == [0])
  }

  @Test func aChangedPlanKeepsOldRunsAndCountsNewOnes() {
    let old = Variable(name: "x", values: [1, 2])
    let oldPlan = RunPlan(variables: [old], runCount: 1, seed: 9)
    let new = Variable(name: "x", values: [2, 3, 4])
    let plan = RunPlan(variables: [new], runCount: 1, seed: 9)
    let point = ResumePoint(
      stored: stored([old], runCount: 1, seed: 9, rows: [row(oldPlan, 0, .ok), row(oldPlan, 1, .ok)]), plan: plan, retryFailed: false)
    #expect(point.removed == 1)  // x = 1 is no longer planned
    #expect(point.added == 2)  // x = 3 and 4 are new
    #expect(point.remaining.map(\.values) == plan.runs.map(\.values).filter { $0 != [.integer(2)] })
    #expect(point.messages(id: "abc").count == 3)
  }

  @Test func aNumberIsTheSamePointWhateverItsLuaType() {
    #expect(RunKey(values: [.integer(1)], repetition: 0) == RunKey(values: [.number(1.0)], repetition: 0))
    #expect(RunKey(values: [.integer(1)], repetition: 0) != RunKey(values: [.string("1")], repetition: 0))
    #expect(RunKey(values: [.integer(1)], repetition: 0) != RunKey(values: [.integer(1)], repetition: 1))
  }
}
