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
  package var runs: RunList
  /// `PointCounts.digest` of the points when they were given (not every combination).
  package var pointsDigest: String?

  /// - Parameter groupedBy: build variables (`mpf.software`): runs of one build come one after
  ///   another (builds in the order of their first run), each build's runs in shuffled order.
  /// - Parameter points: the points when they are not every combination (`Experiment.points`).
  package init(variables: [Variable], points: [[LuaValue]]? = nil, runCount: Int, seed: UInt64, groupedBy: [String] = []) {
    self.variables = variables
    // Each point's values once, by variable (a point is a number below; its values are read
    // when its run is done).
    let table = points.map { RunList.PointTable(points: $0, width: variables.count) } ?? RunList.PointTable(product: variables)
    var order: [(point: Int32, repetition: Int32)] = []
    order.reserveCapacity(table.count * max(runCount, 0))
    for repetition in 0..<max(runCount, 0) {
      for point in 0..<table.count { order.append((Int32(point), Int32(repetition))) }
    }
    var generator = SeededGenerator(seed: seed)
    generator.shuffle(&order)
    let grouping = variables.indices.filter { groupedBy.contains(variables[$0].name) }
    if !grouping.isEmpty {
      var builds: [[LuaValue]: Int] = [:]
      let build = order.map { run in
        let key = grouping.map { table.value(Int(run.point), $0) }
        if let known = builds[key] { return known }
        builds[key] = builds.count
        return builds.count - 1
      }
      // A stable sort by build: within one, the shuffled order stays.
      order = order.indices.sorted { build[$0] != build[$1] ? build[$0] < build[$1] : $0 < $1 }.map { order[$0] }
    }
    runs = RunList(table: table, order: order)
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

/// The runs of a plan, in order, as a collection of `PlannedRun`s: 16 bytes a run (its index,
/// point, repetition), each point's values kept once by variable. A 100 000-run plan is
/// 2 MB, where an array of `PlannedRun`s, each with an array of values, is 10.
package struct RunList: Sendable, RandomAccessCollection, Equatable {
  /// Points' values, by variable.
  package struct PointTable: Sendable, Equatable {
    private var columns: [ValueColumn]
    package private(set) var count: Int

    /// Every combination of the variables' values, the first variable varying slowest.
    package init(product variables: [Variable]) {
      let lists = variables.map(\.values)
      count = lists.reduce(1) { $0 * $1.count }
      var columns = lists.map { _ in ValueColumn() }
      // The last variable fastest: value k of variable c repeats `inner` times, cycling.
      var inner = 1
      for c in lists.indices.reversed() {
        let list = lists[c]
        defer { inner *= list.count }
        // The only variable of more than one value: its column is its list, shared (a
        // variable of 100 000 values was kept twice, 0.8 MB each).
        guard list.count != count else {
          columns[c] = list
          continue
        }
        columns[c].reserveCapacity(count)
        for point in 0..<count { columns[c].append(list[(point / inner) % list.count]) }
      }
      self.columns = columns
    }

    package init(points: [[LuaValue]], width: Int) {
      count = points.count
      columns = (0..<width).map { c in ValueColumn(points.lazy.map { c < $0.count ? $0[c] : .nil }) }
    }

    package func value(_ point: Int, _ variable: Int) -> LuaValue { columns[variable][point] }
    package func values(_ point: Int) -> [LuaValue] { columns.map { $0[point] } }
  }

  private var table: PointTable
  private var runIndex: CompactIntegers
  private var point: [Int32]
  private var repetition: CompactIntegers

  /// The runs `order` names, indexed by their position.
  package init(table: PointTable, order: [(point: Int32, repetition: Int32)]) {
    self.table = table
    runIndex = CompactIntegers(0..<Int32(order.count))
    point = order.map(\.point)
    repetition = CompactIntegers(order.lazy.map(\.repetition))
  }

  /// Runs made elsewhere (a search's probes), each with its own values.
  package init(_ runs: [PlannedRun]) {
    table = PointTable(points: runs.map(\.values), width: runs.map(\.values.count).max() ?? 0)
    runIndex = CompactIntegers(runs.lazy.map { Int32(clamping: $0.index) })
    point = runs.map { Int32(clamping: $0.point) }
    repetition = CompactIntegers(runs.lazy.map { Int32(clamping: $0.repetition) })
    slot = CompactIntegers(0..<Int32(runs.count))
  }

  /// Where each run's values are in `table`: its point, or its own row for runs made elsewhere.
  private var slot: CompactIntegers? = nil

  package var startIndex: Int { 0 }
  package var endIndex: Int { runIndex.count }

  package subscript(position: Int) -> PlannedRun {
    PlannedRun(
      index: Int(runIndex[position]), repetition: Int(repetition[position]),
      values: table.values(Int(slot?[position] ?? point[position])), point: Int(point[position]))
  }

  /// A run's point and repetition, without its values.
  package func point(at position: Int) -> Int { Int(point[position]) }
  package func repetition(at position: Int) -> Int { Int(repetition[position]) }

  /// The runs for which `isIncluded` is true, in this order (their indices kept).
  package func subset(where isIncluded: (PlannedRun) -> Bool) -> RunList {
    let kept = indices.filter { isIncluded(self[$0]) }
    var out = self
    out.runIndex = runIndex.gathering(kept)
    out.point = kept.map { point[$0] }
    out.repetition = repetition.gathering(kept)
    out.slot = slot.map { $0.gathering(kept) }
    return out
  }
}
