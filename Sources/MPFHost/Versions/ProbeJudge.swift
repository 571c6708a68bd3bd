package import MPFReport
internal import MPFText

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

  /// `goodput is 20% lower at the bad end`, and whether it rose: the mean change over the points
  /// where the ends differ, in percent of the good end's mean. A point whose good end is 0 has
  /// no percentage; when every point's is, the means are said (`errors went from 0 at the good
  /// end to 5 at the bad end`): never a 0% change that is not one.
  package static func moved(_ result: String, unit: String?, at points: [Point]) -> (text: String, higher: Bool) {
    let changes = points.compactMap { Comparison.Point(name: $0.name, a: $0.good, b: $0.bad).change }
    let over = points.count > 1 ? " (mean over the \(points.count) points where the ends differ)" : ""
    guard changes.isEmpty else {
      let change = changes.reduce(0, +) / Double(changes.count)
      let text = "\(result) is \(NumberText.formatNumber(abs(change), digits: 3))% \(change < 0 ? "lower" : "higher") at the bad end"
      let fromZero = points.count - changes.count
      guard fromZero > 0 else { return (text + over, change > 0) }
      return (text + " (mean over the \(changes.count) of the \(points.count) points where the ends differ whose good end is not 0)", change > 0)
    }
    let good = points.map(\.good.mean).reduce(0, +) / Double(max(points.count, 1))
    let bad = points.map(\.bad.mean).reduce(0, +) / Double(max(points.count, 1))
    let text = "\(result) went from \(Comparison.amount(good, unit: unit)) at the good end to \(Comparison.amount(bad, unit: unit)) at the bad end"
    return (text + over, bad > good)
  }
}
