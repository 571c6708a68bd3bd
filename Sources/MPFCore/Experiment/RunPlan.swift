/// One run to do: a point of the variable space and which repetition of it this is.
package struct PlannedRun: Sendable, Hashable {
  /// Position in the (shuffled) run order, from 0.
  package var index: Int
  /// Which of the `n_runs` repetitions of this point, from 0.
  package var repetition: Int
  /// One value per variable, in the experiment's variable order.
  package var values: [LuaValue]
  /// The point's position in the cartesian product (first variable varying slowest).
  package var point: Int = 0

  package init(index: Int, repetition: Int, values: [LuaValue], point: Int = 0) {
    self.index = index
    self.repetition = repetition
    self.values = values
    self.point = point
  }
}

/// The runs of an experiment: the cartesian product of the variables, repeated `runCount`
/// times, in an order shuffled by `seed`.
package struct RunPlan: Sendable {
  package var variables: [Variable]
  package var runs: [PlannedRun]
  /// `PointCounts.digest` of the points when they were given (not every combination).
  package var pointsDigest: String?

  /// - Parameter groupedBy: build variables (`mpf.software`): runs of one build come one after
  ///   another (builds in the order of their first run), each build's runs in shuffled order.
  /// - Parameter points: the points when they are not every combination (`Experiment.points`).
  package init(variables: [Variable], points: [[LuaValue]]? = nil, runCount: Int, seed: UInt64, groupedBy: [String] = []) {
    self.variables = variables
    let points = points ?? RunPlan.product(of: variables)
    var runs: [PlannedRun] = []
    runs.reserveCapacity(points.count * runCount)
    for repetition in 0..<max(runCount, 0) {
      for (position, point) in points.enumerated() {
        runs.append(PlannedRun(index: 0, repetition: repetition, values: point, point: position))
      }
    }
    var generator = SeededGenerator(seed: seed)
    generator.shuffle(&runs)
    let grouping = variables.indices.filter { groupedBy.contains(variables[$0].name) }
    if !grouping.isEmpty {
      var order: [[LuaValue]: Int] = [:]
      for run in runs {
        let key = grouping.map { run.values[$0] }
        if order[key] == nil { order[key] = order.count }
      }
      // A stable sort by build: within one, the shuffled order stays.
      runs = runs.enumerated().sorted { a, b in
        let (x, y) = (order[grouping.map { a.element.values[$0] }] ?? 0, order[grouping.map { b.element.values[$0] }] ?? 0)
        return x != y ? x < y : a.offset < b.offset
      }.map(\.element)
    }
    for i in runs.indices { runs[i].index = i }
    self.runs = runs
  }

  /// Every combination of values, the first variable varying slowest. No variable: one empty point.
  package static func product(of variables: [Variable]) -> [[LuaValue]] {
    // One pass over the points, counting in mixed radix (the last variable fastest): no
    // intermediate lists of partial points (1 000 000 points: 3× faster than building them).
    let lists = variables.map(\.values)
    let counts = lists.map(\.count)
    let total = counts.reduce(1, *)
    var points: [[LuaValue]] = []
    points.reserveCapacity(total)
    var digits = [Int](repeating: 0, count: lists.count)
    for _ in 0..<total {
      var point: [LuaValue] = []
      point.reserveCapacity(lists.count)
      for column in lists.indices { point.append(lists[column][digits[column]]) }
      points.append(point)
      var column = lists.count - 1
      while column >= 0 {
        digits[column] += 1
        if digits[column] < counts[column] { break }
        digits[column] = 0
        column -= 1
      }
    }
    return points
  }

  /// The values of a run by variable name.
  package func namedValues(of run: PlannedRun) -> [String: LuaValue] {
    Dictionary(uniqueKeysWithValues: zip(variables.map(\.name), run.values))
  }
}
