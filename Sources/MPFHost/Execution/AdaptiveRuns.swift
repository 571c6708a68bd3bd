package import MPFCore
internal import MPFResults

/// The runs of adaptive repetitions (`AdaptiveRule`): first the plan's (each point `min`
/// times, or what a resume leaves of them), then rounds of one more repetition for each point
/// whose result is still too noisy, each round in an order shuffled by the seed and the round.
package struct AdaptiveRuns: RunSource {
  private let rule: AdaptiveRule
  private let seed: UInt64
  /// Each point's values, by point number, in plan order.
  private let points: [(point: Int, values: [LuaValue])]
  private var queue: [PlannedRun]
  private var position = 0
  private var round = 0
  private var nextIndex: Int
  /// Per point (by its values): what its runs so far say.
  private var seen: [[ValueKey]: Tally] = [:]

  /// - Parameters:
  ///   - plan: the plan of the first round (`runCount` = `rule.min`).
  ///   - remaining: what is left of it to run (all of it, or what a resume leaves).
  ///   - previous: the runs already stored (a resume), counted like the new ones.
  package init(rule: AdaptiveRule, plan: RunPlan, remaining: RunList, previous: some Collection<ResultRow>, seed: UInt64) {
    self.rule = rule
    self.seed = seed
    var first: [Int: [LuaValue]] = [:]
    for run in plan.runs where first[run.point] == nil { first[run.point] = run.values }
    points = first.keys.sorted().map { ($0, first[$0]!) }
    queue = Array(remaining)
    nextIndex = Swift.max(plan.runs.count, (previous.map(\.index).max() ?? -1) + 1)
    for row in previous { record(row) }
  }

  package var remaining: Int { queue.count - position }

  package mutating func next(after row: ResultRow?) -> PlannedRun? {
    if let row { record(row) }
    if position < queue.count {
      defer { position += 1 }
      return queue[position]
    }
    // A new round: one more repetition of each point that goes on.
    round += 1
    var more: [PlannedRun] = []
    for (point, values) in points {
      let tally = seen[values.map(ValueKey.init)] ?? Tally()
      guard stopReason(tally) == nil else { continue }
      more.append(PlannedRun(index: 0, repetition: tally.attempts, values: values, point: point))
    }
    guard !more.isEmpty else { return nil }
    var generator = SeededGenerator(seed: seed &+ UInt64(round) &* 0x9E37_79B9_7F4A_7C15)
    generator.shuffle(&more)
    for i in more.indices {
      more[i].index = nextIndex
      nextIndex += 1
    }
    queue = more
    position = 1
    return queue[0]
  }

  private mutating func record(_ row: ResultRow) {
    seen[row.values.map(ValueKey.init), default: Tally()].add(row, on: rule.on)
  }

  private func stopReason(_ tally: Tally) -> String? { tally.stop(rule) }

  /// What a point's runs say of the watched result: its values in ok runs, the runs in all.
  package struct Tally: Sendable {
    package var values: [Double] = []
    package var attempts = 0

    package init() {}

    package mutating func add(_ row: ResultRow, on result: String) {
      attempts += 1
      if row.status == .ok, let value = row.results[result]?.quantity?.value, value.isFinite { values.append(value) }
    }

    /// The half-width of the 95% interval of the mean, over the mean (nil: not computable).
    package var relativeHalfWidth: Double? {
      let mean = values.isEmpty ? 0 : values.reduce(0, +) / Double(values.count)
      return Aggregate.confidence95(values, mean: mean).flatMap { mean != 0 ? $0 / abs(mean) : nil }
    }

    /// Why the point stopped (`converged`, `max`); nil while it would go on.
    package func stop(_ rule: AdaptiveRule) -> String? {
      rule.stop(values: values, attempts: attempts, relativeHalfWidth: relativeHalfWidth)
    }
  }

  /// Each point's tally over `rows`, points in the order of their first run.
  package static func tallies(_ rows: some Collection<ResultRow>, on result: String) -> [(values: [LuaValue], tally: Tally)] {
    var order: [[LuaValue]] = []
    var byPoint: [[LuaValue]: Tally] = [:]
    for row in rows {
      if byPoint[row.values] == nil { order.append(row.values) }
      byPoint[row.values, default: Tally()].add(row, on: result)
    }
    return order.map { ($0, byPoint[$0] ?? Tally()) }
  }
}
