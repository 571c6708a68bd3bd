package import MPFCore

/// Where the orchestrator takes its runs from, one at a time.
///
/// A grid gives every run at once; designs that decide as they go (adaptive repetitions, a
/// search for a threshold) look at each finished row before naming the next run.
package protocol RunSource: Sendable {
  /// The next run to do, given the row of the run done last (nil before the first); nil when
  /// the experiment is done.
  mutating func next(after row: ResultRow?) -> PlannedRun?
  /// How many runs are still to do, as far as the source knows (for the progress bar).
  var remaining: Int { get }
}

/// The runs of a plan, in its order: what a full grid (or what a resume leaves of it) gives.
package struct PlannedRuns: RunSource {
  private let runs: RunList
  private var position = 0

  package init(_ runs: RunList) { self.runs = runs }

  package mutating func next(after row: ResultRow?) -> PlannedRun? {
    guard position < runs.count else { return nil }
    defer { position += 1 }
    return runs[position]
  }

  package var remaining: Int { runs.count - position }
}
