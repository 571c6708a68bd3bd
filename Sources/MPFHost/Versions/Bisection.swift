/// The search of `mpf bisect`, apart from running anything: the first-parent commits between a
/// good and a bad end, oldest first; which commit to probe next; what the probes so far say.
/// Like `git bisect`: the ends are measured first, then the middle of what is left each time; a
/// commit that fails to build is skipped (the probe nearest the middle among the others is
/// taken), so about log2(commits) + 2 probes, never one per commit.
package struct Bisection: Sendable {
  /// What a probe said of a commit, judged against the two ends.
  package enum Verdict: String, Sendable {
    case good, bad
    /// It did not build (or did not run): it says nothing.
    case skipped
  }

  package struct Probe: Sendable, Equatable {
    package var commit: String
    package var verdict: Verdict

    package init(commit: String, verdict: Verdict) {
      (self.commit, self.verdict) = (commit, verdict)
    }
  }

  /// How the search ended.
  package enum Outcome: Sendable, Equatable {
    /// Not over yet.
    case searching
    /// The ends do not differ (the good end measured bad, or the bad end good): nothing to find.
    case endsDoNotDiffer
    /// This commit is the first bad one.
    case found(String)
    /// The first bad commit is one of these (the others between them were skipped).
    case oneOf([String])
  }

  /// Oldest (the good end) first, the bad end last.
  package let commits: [String]
  package private(set) var probes: [Probe] = []
  /// Index of the newest commit known good, and of the oldest known bad.
  private var good = 0
  private var bad: Int
  private var skipped: Set<Int> = []
  private var endsDiffer: Bool?

  package init(commits: [String]) {
    self.commits = commits
    bad = max(commits.count - 1, 0)
  }

  /// The next commit to measure, nil when the search is over (`outcome` says how).
  package func next() -> String? {
    guard commits.count >= 2, endsDiffer != false else { return nil }
    if !probed(0) { return commits[0] }
    if !probed(commits.count - 1) { return commits[commits.count - 1] }
    guard endsDiffer == true else { return nil }
    let middle = (good + bad) / 2
    let left = (good + 1..<bad).filter { !skipped.contains($0) }
    // The candidate nearest the middle; the older one on a tie.
    return left.min { abs($0 - middle) < abs($1 - middle) || (abs($0 - middle) == abs($1 - middle) && $0 < $1) }.map { commits[$0] }
  }

  /// Records what measuring `commit` said.
  package mutating func record(_ commit: String, _ verdict: Verdict) {
    guard let index = commits.firstIndex(of: commit) else { return }
    probes.append(Probe(commit: commit, verdict: verdict))
    if index == 0 || index == commits.count - 1 {
      let wrong = (index == 0 && verdict != .good) || (index == commits.count - 1 && verdict != .bad)
      if wrong { endsDiffer = false } else if probed(0) && probed(commits.count - 1) && endsDiffer == nil { endsDiffer = true }
      return
    }
    switch verdict {
    case .good: good = max(good, index)
    case .bad: bad = min(bad, index)
    case .skipped: skipped.insert(index)
    }
  }

  package var outcome: Outcome {
    if endsDiffer == false { return .endsDoNotDiffer }
    guard endsDiffer == true, next() == nil else { return .searching }
    let between = (good + 1..<bad).map { commits[$0] }
    return between.isEmpty ? .found(commits[bad]) : .oneOf(between + [commits[bad]])
  }

  private func probed(_ index: Int) -> Bool { probes.contains { $0.commit == commits[index] } }

  /// Runs the whole search with `judge` measuring one commit.
  package static func run(commits: [String], judge: (String) throws -> Verdict) rethrows -> Bisection {
    var search = Bisection(commits: commits)
    while let commit = search.next() { search.record(commit, try judge(commit)) }
    return search
  }
}
