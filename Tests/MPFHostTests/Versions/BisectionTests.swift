import Testing
import MPFHost

/// `mpf bisect`'s search: the first bad commit in about log2(n) + 2 probes, a commit that
/// fails to build skipped, and a stop when the ends do not differ.
@Suite struct BisectionTests {
  static let commits = (0..<16).map { "c\($0)" }

  /// Commits from `firstBad` on are bad; `broken` ones do not build.
  static func judge(firstBad: Int, broken: Set<Int> = []) -> (String) -> Bisection.Verdict {
    { commit in
      let index = Int(commit.dropFirst())!
      return broken.contains(index) ? .skipped : index >= firstBad ? .bad : .good
    }
  }

  @Test(arguments: 1..<16) func findsTheFirstBadCommitInLog2Probes(firstBad: Int) {
    let search = Bisection.run(commits: Self.commits, judge: Self.judge(firstBad: firstBad))
    #expect(search.outcome == .found("c\(firstBad)"))
    // Two ends, then ceil(log2(14)) = 4 probes at most.
    #expect(search.probes.count <= 6, "\(search.probes)")
    #expect(Set(search.probes.map(\.commit)).count == search.probes.count, "no commit probed twice")
  }

  @Test func aCommitThatDoesNotBuildIsSkipped() {
    // c7 is the first middle probed, and does not build.
    let search = Bisection.run(commits: Self.commits, judge: Self.judge(firstBad: 10, broken: [7]))
    #expect(search.outcome == .found("c10"))
    #expect(search.probes.contains(Bisection.Probe(commit: "c7", verdict: .skipped)))
    #expect(search.probes.count <= 7, "\(search.probes)")
  }

  @Test func aSkippedNeighbourLeavesTwoCandidates() {
    let search = Bisection.run(commits: Self.commits, judge: Self.judge(firstBad: 8, broken: [7]))
    #expect(search.outcome == .oneOf(["c7", "c8"]))
  }

  @Test func endsThatDoNotDifferStopTheSearch() {
    let search = Bisection.run(commits: Self.commits) { _ in .good }
    #expect(search.outcome == .endsDoNotDiffer)
    #expect(search.probes.map(\.commit) == ["c0", "c15"])
    // A good end that does not build says nothing either: stop.
    let broken = Bisection.run(commits: Self.commits, judge: Self.judge(firstBad: 3, broken: [0]))
    #expect(broken.outcome == .endsDoNotDiffer)
    #expect(broken.probes.count == 1)
  }
}
