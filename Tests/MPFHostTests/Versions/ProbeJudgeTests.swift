import Testing
import MPFHost
import MPFReport
import MPFCore

/// How mpf bisect judges a probe against the two ends: the test mpf compare uses, point by
/// point, where the ends differ.
@Suite struct ProbeJudgeTests {
  static func sample(_ values: Double...) -> Comparison.Sample { Comparison.Sample(values: values) }

  static let ends = [
    ProbeJudge.Point(name: "1", good: sample(100, 101, 99), bad: sample(50, 51, 49)),
    ProbeJudge.Point(name: "2", good: sample(200, 202, 198), bad: sample(100, 102, 98)),
  ]

  @Test func aProbeIsLikeTheEndItDoesNotDifferFrom() {
    #expect(ProbeJudge.verdict(of: ["1": Self.sample(99, 100, 102), "2": Self.sample(199, 201, 200)], at: Self.ends) == .good)
    #expect(ProbeJudge.verdict(of: ["1": Self.sample(50, 52, 49), "2": Self.sample(101, 99, 100)], at: Self.ends) == .bad)
    // Half way, and significantly unlike both: the nearer end.
    #expect(ProbeJudge.verdict(of: ["1": Self.sample(70, 71, 69), "2": Self.sample(140, 141, 139)], at: Self.ends) == .bad)
    #expect(ProbeJudge.verdict(of: ["1": Self.sample(80, 81, 79), "2": Self.sample(160, 161, 159)], at: Self.ends) == .good)
  }

  /// How the ends differ, in words when the good end is 0 (bisect said "errors is 0% higher
  /// at the bad end" for 0 to 5).
  @Test func aMoveFromZeroIsSaidWithoutAPercentage() {
    let fromZero = [ProbeJudge.Point(name: "1", good: Self.sample(0, 0, 0), bad: Self.sample(5, 5, 5))]
    let moved = ProbeJudge.moved("errors", unit: nil, at: fromZero)
    #expect(moved.text == "errors went from 0 at the good end to 5 at the bad end" && moved.higher)
    let timed = ProbeJudge.moved("time", unit: "s", at: [ProbeJudge.Point(name: "1", good: Self.sample(0, 0), bad: Self.sample(0.01, 0.01))])
    #expect(timed.text == "time went from 0 s at the good end to 10 ms at the bad end", "\(timed.text)")
    let halved = ProbeJudge.moved("goodput", unit: "bits/s", at: Self.ends)
    #expect(halved.text == "goodput is 50% lower at the bad end (mean over the 2 points where the ends differ)" && !halved.higher, "\(halved.text)")
    let mixed = ProbeJudge.moved("errors", unit: nil, at: fromZero + [ProbeJudge.Point(name: "2", good: Self.sample(4, 4), bad: Self.sample(6, 6))])
    #expect(mixed.text == "errors is 50% higher at the bad end (mean over the 1 of the 2 points where the ends differ whose good end is not 0)" && mixed.higher, "\(mixed.text)")
  }

  @Test func pointsTheProbeLacksSayNothing() {
    #expect(ProbeJudge.verdict(of: ["3": Self.sample(1, 2)], at: Self.ends) == .skipped)
    #expect(ProbeJudge.verdict(of: ["1": Self.sample(50, 51, 49)], at: Self.ends) == .bad)
  }

  @Test func endsThatOverlapDoNotDiffer() {
    let noisy = ProbeJudge.Point(name: "n", good: Self.sample(100, 90, 110, 95), bad: Self.sample(98, 108, 92, 101))
    #expect(!noisy.endsDiffer)
    #expect(ProbeJudge.differing([noisy] + Self.ends).map(\.name) == ["1", "2"])
    // One run a side cannot be tested: any difference counts, none does not.
    #expect(ProbeJudge.Point(name: "x", good: Self.sample(3), bad: Self.sample(4)).endsDiffer)
    #expect(!ProbeJudge.Point(name: "x", good: Self.sample(3), bad: Self.sample(3)).endsDiffer)
  }
}

/// What ends a probe as "skipped" and what stops the whole bisect.
@Suite struct BisectStopTests {
  @Test func aStopStopsTheBisectAndAFailedCommitIsSkipped() {
    #expect(BisectRun.stopsTheBisect(ExperimentStopped(.interruptedNow)))
    #expect(BisectRun.stopsTheBisect(ExperimentStopped(.terminated)))
    #expect(BisectRun.stopsTheBisect(ExperimentStopped(.machineLost(machine: "h1", role: "a", run: 3))))
    #expect(!BisectRun.stopsTheBisect(ExperimentStopped(.runFailed(run: 2, status: "failed"))))
    #expect(!BisectRun.stopsTheBisect(Diagnostic(.usage, "deploying on h1: app: build step 1 `make` failed (exit status 2)")))
    #expect(!BisectRun.stopsTheBisect(Diagnostic(.runtime, "the script raised an error")))
    #expect(!BisectRun.stopsTheBisect(LuaRaise("attempt to index a nil value")))
    // Not the commit's doing: another mpf's lock, a lost machine, a disk, a cluster file.
    #expect(BisectRun.stopsTheBisect(Diagnostic(.results, "mpf_experiments/7850d1f7 is being written by another mpf")))
    #expect(BisectRun.stopsTheBisect(Diagnostic(.machine, "deploying on h1: app: the node was lost during build step 1 `make`")))
    #expect(BisectRun.stopsTheBisect(Diagnostic(.io, "cannot write experiment.yaml")))
    #expect(BisectRun.stopsTheBisect(Diagnostic(.cluster, "role 'node' is not in local2.yaml")))
    var raised = Diagnostic(.runtime, "exp.lua:4: error")
    raised.hostError = Diagnostic(.results, "being written by another mpf")
    #expect(BisectRun.stopsTheBisect(raised), "a host error raised through the script is judged as itself")
  }
}
