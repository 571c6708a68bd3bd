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
  /// Per point (by its values): the values of `on` in its ok runs, and its runs in all.
  private var seen: [[ValueKey]: (values: [Double], attempts: Int)] = [:]

  /// - Parameters:
  ///   - plan: the plan of the first round (`runCount` = `rule.min`).
  ///   - remaining: what is left of it to run (all of it, or what a resume leaves).
  ///   - previous: the runs already stored (a resume), counted like the new ones.
  package init(rule: AdaptiveRule, plan: RunPlan, remaining: [PlannedRun], previous: [ResultRow], seed: UInt64) {
    self.rule = rule
    self.seed = seed
    var first: [Int: [LuaValue]] = [:]
    for run in plan.runs where first[run.point] == nil { first[run.point] = run.values }
    points = first.keys.sorted().map { ($0, first[$0]!) }
    queue = remaining
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
      let state = seen[values.map(ValueKey.init)] ?? ([], 0)
      guard stopReason(state) == nil else { continue }
      more.append(PlannedRun(index: 0, repetition: state.attempts, values: values, point: point))
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
    let key = row.values.map(ValueKey.init)
    var state = seen[key] ?? ([], 0)
    state.attempts += 1
    if row.status == .ok, let value = row.results[rule.on]?.quantity?.value, value.isFinite { state.values.append(value) }
    seen[key] = state
  }

  private func stopReason(_ state: (values: [Double], attempts: Int)) -> String? {
    AdaptiveRuns.stop(rule, values: state.values, attempts: state.attempts)
  }

  /// Why a point stopped (`converged`, `max`), from its runs; nil while it would go on.
  package static func stop(_ rule: AdaptiveRule, values: [Double], attempts: Int) -> String? {
    let mean = values.isEmpty ? 0 : values.reduce(0, +) / Double(values.count)
    let width = Aggregate.confidence95(values, mean: mean).flatMap { mean != 0 ? $0 / abs(mean) : nil }
    return rule.stop(values: values, attempts: attempts, relativeHalfWidth: width)
  }
}
