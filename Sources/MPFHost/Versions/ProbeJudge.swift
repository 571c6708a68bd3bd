package import MPFReport

/// How `mpf bisect` judges a commit: each point it measured is set against the same point of
/// the two ends with the test `mpf compare` uses (Welch's t at 95%), at the points where the
/// ends themselves differ.
package enum ProbeJudge {
  /// One point measured at the good end, the bad end and (for a probe) the commit judged.
  package struct Point: Sendable {
    package var name: String
    package var good: Comparison.Sample
    package var bad: Comparison.Sample

    package init(name: String, good: Comparison.Sample, bad: Comparison.Sample) {
      (self.name, self.good, self.bad) = (name, good, bad)
    }

    /// Whether the ends differ here: significantly, or (one run a side: it cannot be told) at all.
    package var endsDiffer: Bool {
      Comparison.Point(name: name, a: good, b: bad).significant ?? (good.mean != bad.mean)
    }
  }

  /// The points where the ends differ: the only ones a probe is judged on.
  package static func differing(_ points: [Point]) -> [Point] { points.filter(\.endsDiffer) }

  /// The verdict on a probe's samples (by point name) over the points where the ends differ:
  /// at each, `bad` when it differs significantly from the good end and not from the bad one,
  /// `good` the other way round, and otherwise the end its mean is nearer; then the verdict of
  /// most points (a tie: the end nearer on average, in units of the ends' distance).
  package static func verdict(of probe: [String: Comparison.Sample], at points: [Point]) -> Bisection.Verdict {
    var (goodVotes, badVotes, position, counted) = (0, 0, 0.0, 0)
    for point in points {
      guard let sample = probe[point.name], !sample.values.isEmpty else { continue }
      let fromGood = Comparison.Point(name: point.name, a: point.good, b: sample).significant ?? false
      let fromBad = Comparison.Point(name: point.name, a: point.bad, b: sample).significant ?? false
      let span = point.bad.mean - point.good.mean
      let along = span == 0 ? 0 : (sample.mean - point.good.mean) / span
      if fromGood && !fromBad {
        badVotes += 1
      } else if fromBad && !fromGood {
        goodVotes += 1
      } else if along > 0.5 {
        badVotes += 1
      } else {
        goodVotes += 1
      }
      if along.isFinite { (position, counted) = (position + along, counted + 1) }
    }
    guard goodVotes + badVotes > 0 else { return .skipped }
    if badVotes != goodVotes { return badVotes > goodVotes ? .bad : .good }
    return counted > 0 && position / Double(counted) > 0.5 ? .bad : .good
  }
}
