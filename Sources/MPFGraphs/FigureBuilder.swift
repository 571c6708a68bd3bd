package import MPFCore
package import MPFResults
package import MPFSystem

/// What a graph should show; anything left nil is chosen from the data.
package struct PlotRequest: Sendable {
  package var y: String
  package var x: String?
  /// The variables that become series (and small multiples past `maxSeries`).
  package var by: [String]?
  package var kind: Figure.Kind?
  package var logX: Bool?
  package var logY: Bool?
  package var title: String?
  /// The most series one panel holds before further variables become small multiples.
  package var maxSeries = 6

  package init(y: String, x: String? = nil, by: [String]? = nil, kind: Figure.Kind? = nil) {
    (self.y, self.x, self.by, self.kind) = (y, x, by, kind)
  }
}

/// Turns a table into a figure, choosing what NPF would and a bit more: x is the numeric
/// variable with most values (a categorical one gives grouped bars), the other varying
/// variables become series, or small multiples when the series would be too many; each mark
/// is the mean over repetitions with its 95% confidence interval.
package enum FigureBuilder {
  /// The numeric results of a table: the columns every automatic graph is drawn for.
  package static func numericResults(of table: Table) -> [String] {
    let own: Set<String> = ["repetition", "status", "error"]
    return table.columns.filter { column in
      !column.isVariable && !own.contains(column.name) && column.values.contains { $0.doubleValue != nil }
        && column.values.allSatisfy { $0 == .nil || $0.doubleValue != nil }
    }.map(\.name)
  }

  /// The figure `request` asks for.
  ///
  /// - Parameter name: the experiment's name (its script), for the title.
  /// - Throws: `LuaRaise` naming the columns when a column does not exist or is not numeric.
  package static func figure(_ table: Table, _ request: PlotRequest, name: String) throws -> Figure {
    if let melted = perMachine(table, request.y) { return try figure(melted, request, name: name) }
    let plan = try FigurePlan(table, request)
    var figure = plan.emptyFigure(name: name)
    plan.addMarks(to: &figure)
    plan.finish(&figure)
    return figure
  }

  /// A result kept per machine only (`lat@client1`, ...): a table with every machine as a
  /// series `node`; nil for any other result.
  static func perMachine(_ table: Table, _ result: String) -> Table? {
    guard table.column(named: result) == nil else { return nil }
    let perNode = table.names.filter { $0.hasPrefix(result + "@") && !$0.dropFirst(result.count + 1).contains("@") }
    return perNode.isEmpty ? nil : melting(perNode, of: table, into: result)
  }

  /// One figure per numeric result (the graphs written after every experiment).
  ///
  /// A result of a role of several machines (`goodput@client1`, `goodput@client2`, ...) gets no
  /// graph per machine: its aggregate's graph says it (`goodput`), or, without an aggregate,
  /// one graph shows every machine as a series (`node`). A sampled design (`design` random,
  /// lhs or wsp, or runs covering at most half the combinations) gets `DesignGraphs` instead.
  package static func automatic(_ table: Table, name: String, design: String? = nil) -> [(result: String, figure: Figure)] {
    let numeric = numericResults(of: table)
    var order: [String] = []
    var perNode: [String: [String]] = [:]
    for result in numeric {
      guard let at = result.lastIndex(of: "@") else {
        order.append(result)
        continue
      }
      let base = String(result[..<at])
      if numeric.contains(base) { continue }
      if perNode[base] == nil { order.append(base) }
      perNode[base, default: []].append(result)
    }
    let sampled = DesignGraphs.isSampled(table, design: design)
    return order.flatMap { result -> [(result: String, figure: Figure)] in
      guard let columns = perNode[result] else {
        if sampled { return DesignGraphs.figures(table, result: result, name: name) }
        return (try? figure(table, PlotRequest(y: result), name: name)).map { [(result, $0)] } ?? []
      }
      var request = PlotRequest(y: result)
      request.title = "\(name): \(result) per machine"
      return (try? figure(melting(columns, of: table, into: result), request, name: name)).map { [(result, $0)] } ?? []
    }
  }

  /// One row per run and machine: the variables, `node` (the worker's name), `status` and the
  /// machine's value of the result as `result`.
  static func melting(_ columns: [String], of table: Table, into result: String) -> Table {
    let sources = columns.compactMap { table.column(named: $0) }
    let kept = table.columns.filter { $0.isVariable || $0.name == "status" }
    var melted = kept.map { Table.Column(name: $0.name, values: [], unit: $0.unit, labels: $0.labels, isVariable: $0.isVariable) }
    var node = Table.Column(name: "node", values: [], isVariable: true)
    var values = Table.Column(name: result, values: [], unit: sources.first?.unit)
    for row in 0..<table.rowCount {
      for source in sources {
        for (i, column) in kept.enumerated() { melted[i].values.append(column.values[row]) }
        node.values.append(.string(String(source.name[source.name.index(after: source.name.lastIndex(of: "@")!)...])))
        values.values.append(source.values[row])
      }
    }
    var result = table
    result.columns = melted + [node, values]
    return result
  }

  // MARK: - Helpers

  static func isNumeric(_ column: Table.Column) -> Bool {
    column.values.allSatisfy { $0 == .nil || $0.doubleValue != nil } && column.values.contains { $0 != .nil }
      && !column.values.contains { if case .string = $0 { return true } else { return false } }
  }

  static func distinctCount(_ column: Table.Column, _ rows: RowSelection) -> Int {
    Table.distinct(column.values, rows).values.count
  }

  /// The distinct combinations of `columns` over `rows`, ordered by value: numbers (of a
  /// variable without labels) in numeric order, other values in order of first appearance
  /// (the script's order in a full design), the first column first. A sampled design, whose
  /// runs come in random order, gets its series and small multiples in the same order. No
  /// columns: one combination, and no code per row.
  static func keys(_ columns: [Table.Column], _ rows: RowSelection) -> Table.Grouping {
    guard !columns.isEmpty else { return Table.Grouping(columns: [], code: []) }
    var grouping = Table.grouping(columns, rows)
    guard grouping.count > 1 else { return grouping }
    let ranks = grouping.columns.enumerated().map { index, values in
      valueRanks(values, numeric: columns[index].labels == nil, distinct: columns.count == 1)
    }
    guard ranks.contains(where: { $0 != nil }) else { return grouping }
    let order = (0..<grouping.count).sorted { a, b in
      for case let rank? in ranks where rank[a] != rank[b] { return rank[a] < rank[b] }
      return a < b
    }
    guard !order.elementsEqual(0..<order.count) else { return grouping }
    var position = [Int32](repeating: 0, count: order.count)
    for (new, old) in order.enumerated() { position[old] = Int32(new) }
    for row in grouping.code.indices { grouping.code[row] = position[Int(grouping.code[row])] }
    grouping.columns = grouping.columns.map { $0.gathering(order) }
    return grouping
  }

  /// Each value's rank: by number when every value is one (and `numeric`), else by first
  /// appearance; nil when that is each value's own position (values known to be `distinct`,
  /// not numbers, or numbers already in increasing order: a sweep's 100 000 x keys, ranked by
  /// a sort of 1.6 MB to find them in place).
  static func valueRanks(_ values: ValueColumn, numeric: Bool, distinct: Bool) -> [Int32]? {
    if numeric, distinct, values.indices.dropFirst().allSatisfy({ (values.number(at: $0 - 1) ?? .nan) < (values.number(at: $0) ?? .nan) }) {
      return nil
    }
    if numeric, values.indices.allSatisfy({ values.number(at: $0) != nil }) {
      // Equal numbers share a rank.
      let byNumber = values.indices.sorted { (values.number(at: $0) ?? 0) < (values.number(at: $1) ?? 0) }
      var rank = [Int32](repeating: 0, count: values.count)
      for (previous, index) in zip(byNumber, byNumber.dropFirst()) {
        rank[index] = rank[previous] + (values.number(at: index) == values.number(at: previous) ? 0 : 1)
      }
      return rank
    }
    if distinct { return nil }
    var first: [LuaValue: Int32] = [:]
    return values.indices.map { index in
      let value = values[index]
      if let seen = first[value] { return seen }
      first[value] = Int32(index)
      return Int32(index)
    }
  }

  /// A key as the legend writes it: labels where the variable has them.
  static func describe(_ key: [LuaValue], _ columns: [Table.Column], withNames: Bool = false) -> String {
    zip(key, columns).map { value, column in
      // A variable that does not apply to these points (`when`): said so, not "nil".
      let text = value == .nil ? "(n/a)" : column.labels?[value] ?? value.displayString
      return withNames || (columns.count > 1 && column.labels == nil) ? "\(column.name) = \(text)" : text
    }.joined(separator: ", ")
  }

  /// Positive values that grow by a factor rather than a step (1, 10, 100 or 64, 128, 256...).
  static func looksGeometric(_ values: some Collection<Double>) -> Bool {
    // Each at least 1.9 times the one below: fewer than 2300 doubles can be (1.9^2267 exceeds
    // the largest over the smallest), so more are not sorted to find out.
    guard values.count <= 4096 else { return false }
    let sorted = values.sorted()
    guard sorted.count >= 3, let first = sorted.first, first > 0, sorted.last! / first >= 64 else { return false }
    let ratios = zip(sorted.dropFirst(), sorted).map { $0 / $1 }
    return ratios.allSatisfy { $0 >= 1.9 }
  }

  /// The series ordered by where their lines end (the mean at the largest x, summed over the
  /// panels), highest first; ties keep the series' order.
  static func endOrder(_ figure: Figure) -> [Int] {
    var end = Array(repeating: -Double.infinity, count: figure.series.count)
    for panel in figure.panels {
      var last: [Int: Figure.Mark] = [:]
      for mark in panel.marks where last[mark.series].map({ mark.x >= $0.x }) ?? true { last[mark.series] = mark }
      for (series, mark) in last where end.indices.contains(series) { end[series] = end[series].isFinite ? end[series] + mark.y : mark.y }
    }
    return end.indices.sorted { (end[$0], -$0) > (end[$1], -$1) }
  }

  /// The 95% confidence interval of the mean, clipped at 0 for a quantity that is never
  /// negative (three latencies must not give an interval reaching -200 ms); nil without one.
  static func interval(_ samples: [Double], mean: Double, nonNegative: Bool) -> (Double?, Double?) {
    guard let half = Aggregate.confidence95(samples, mean: mean), half.isFinite else { return (nil, nil) }
    return (nonNegative ? max(mean - half, 0) : mean - half, mean + half)
  }

  /// Positive values whose largest is at least `decades` powers of ten above the smallest:
  /// on a linear axis all but the largest would sit on the axis, their ticks on each other.
  static func spansDecades(_ values: some Collection<Double>, _ decades: Double = 3) -> Bool {
    guard let low = values.min(), let high = values.max(), low > 0, high.isFinite else { return false }
    return high / low >= pow(10, decades)
  }

  /// The mean; of finite samples always finite (a sum of 1e308s overflows: then each is divided first).
  static func mean(_ samples: [Double]) -> Double {
    let n = Double(samples.count), sum = samples.reduce(0, +)
    return sum.isFinite ? sum / n : samples.reduce(0) { $0 + $1 / n }
  }


  static func box(_ samples: [Double]) -> Figure.Box {
    let q1 = Aggregate.percentile(samples, 25), q3 = Aggregate.percentile(samples, 75)
    let reach = 1.5 * (q3 - q1)
    let inside = samples.filter { $0 >= q1 - reach && $0 <= q3 + reach }
    return Figure.Box(
      whiskerLow: inside.min() ?? q1, q1: q1, median: Aggregate.percentile(samples, 50), q3: q3, whiskerHigh: inside.max() ?? q3,
      outliers: samples.filter { $0 < q1 - reach || $0 > q3 + reach }.sorted())
  }
}
