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
    // A result kept per machine only (`lat@client1`, ...): every machine as a series `node`.
    if table.column(named: request.y) == nil {
      let perNode = table.names.filter { $0.hasPrefix(request.y + "@") && !$0.dropFirst(request.y.count + 1).contains("@") }
      if !perNode.isEmpty { return try figure(melting(perNode, of: table, into: request.y), request, name: name) }
    }
    let yColumn = try table.require(request.y, for: "plot")
    // The runs that count: those that ended ok and returned a finite number (an infinity or
    // a NaN is left out, and the subtitle says how many).
    let status = table.column(named: "status")
    let ended = (0..<table.rowCount).filter { row in
      (status == nil || status!.values[row] == .string("ok") || status!.values[row] == .nil) && yColumn.values[row].doubleValue != nil
    }
    let rows = ended.filter { yColumn.values[$0].doubleValue!.isFinite }
    guard yColumn.values.contains(where: { $0.doubleValue != nil }) else {
      throw LuaRaise("plot: column '\(request.y)' holds no number (numeric columns: \(numericResults(of: table).joined(separator: ", ")))")
    }
    let varying = table.columns.filter { $0.isVariable && distinctCount($0, rows) > 1 }.map(\.name)
    for name in [request.x].compactMap({ $0 }) + (request.by ?? []) { _ = try table.require(name, for: "plot") }

    var kind = request.kind
    // x: asked for, or the numeric varying variable with most values, or a categorical one.
    var xName = request.x
    if xName == nil, kind != .cdf {
      let candidates = varying.filter { !(request.by ?? []).contains($0) }.compactMap { table.column(named: $0) }
      let numeric = candidates.filter { isNumeric($0) }
      let best = (numeric.isEmpty ? candidates : numeric).max { distinctCount($0, rows) < distinctCount($1, rows) }
      xName = best?.name
    }
    let xColumn = xName.flatMap { table.column(named: $0) }
    let xNumeric = xColumn.map { isNumeric($0) } ?? false
    if kind == nil { kind = xNumeric ? .line : .bar }
    guard let kind else { fatalError("unreachable") }

    // Series and panels: the remaining varying variables.
    var seriesNames: [String]
    var panelNames: [String] = []
    if let by = request.by {
      seriesNames = by
    } else {
      let rest = varying.filter { $0 != xName }.compactMap { table.column(named: $0) }.sorted { distinctCount($0, rows) < distinctCount($1, rows) }
      seriesNames = []
      var product = 1
      for column in rest {
        let count = distinctCount(column, rows)
        if product * count <= request.maxSeries || seriesNames.isEmpty && kind != .heatmap {
          seriesNames.append(column.name)
          product *= count
        } else {
          panelNames.append(column.name)
        }
      }
      // Variables stay in the script's order within each role.
      seriesNames.sort { table.names.firstIndex(of: $0)! < table.names.firstIndex(of: $1)! }
      panelNames.sort { table.names.firstIndex(of: $0)! < table.names.firstIndex(of: $1)! }
    }
    if kind == .heatmap {
      guard xColumn != nil, let vertical = seriesNames.first else {
        throw LuaRaise("plot: a heatmap needs two variables: x and one in by (varying: \(varying.joined(separator: ", ")))")
      }
      panelNames = Array(seriesNames.dropFirst()) + panelNames
      seriesNames = [vertical]
    }

    let seriesColumns = seriesNames.compactMap { table.column(named: $0) }
    let panelColumns = panelNames.compactMap { table.column(named: $0) }
    let seriesKeys = keys(seriesColumns, rows)
    let panelKeys = keys(panelColumns, rows)
    let yValues = yColumn.values
    let nonNegative = Figure.unitIsNonNegative(yColumn.unit) || rows.allSatisfy { (yValues.number(at: $0) ?? 0) >= 0 }

    var figure = Figure(
      kind: kind, title: request.title ?? "\(name): \(request.y)",
      x: Figure.Axis(name: xName ?? ""), y: Figure.Axis(name: request.y, unit: yColumn.unit),
      series: seriesKeys.keys.map { describe($0, seriesColumns) }, panels: [])
    figure.legendTitle = seriesColumns.isEmpty ? nil : seriesNames.joined(separator: ", ")
    if seriesColumns.isEmpty && kind != .heatmap { figure.series = [request.y] }

    // x: positions (numeric values, or category indices), with the text of each tick.
    let xKeys = xColumn.map { keys([$0], rows) } ?? Table.Grouping(columns: [], code: Array(repeating: 0, count: rows.count))
    let xValues = xKeys.columns.first ?? []
    let xCategorical = !xNumeric || [.bar, .box, .violin, .heatmap].contains(kind)
    if let xColumn {
      figure.x.name = xColumn.name
      if xCategorical {
        figure.x.categories = xValues.map { describe([$0], [xColumn]) }
      } else {
        let values = xValues.compactMap(\.doubleValue)
        figure.x.log = request.logX ?? (looksGeometric(values) || spansDecades(values))
        if values.count <= 12 {
          figure.x.fixedTicks = xValues.compactMap { value in value.doubleValue.map { ($0, describe([value], [xColumn])) } }
        }
      }
    } else if kind != .cdf {
      figure.x.categories = [request.y]
    }
    figure.y.log = request.logY ?? false
    figure.y.nonNegative = nonNegative
    if kind == .heatmap, let vertical = seriesColumns.first {
      figure.y = Figure.Axis(name: vertical.name, categories: seriesKeys.keys.map { describe($0, [vertical]) })
      figure.series = []
      figure.legendTitle = request.y
      figure.valueUnit = yColumn.unit
    }
    if kind == .cdf {
      figure.x = Figure.Axis(name: request.y, unit: yColumn.unit, log: request.logX ?? false)
      figure.x.nonNegative = nonNegative
      figure.y = Figure.Axis(name: "fraction of runs")
    }

    // Group the rows: panel → series → x → samples, each group's key one number.
    figure.panels = panelKeys.keys.isEmpty
      ? [Figure.Panel(title: nil)]
      : panelKeys.keys.map { Figure.Panel(title: describe($0, panelColumns, withNames: true)) }
    let xPositions: [Double] = xValues.enumerated().map { index, value in xCategorical ? Double(index) : value.doubleValue ?? Double(index) }
    let (seriesCount, xCount) = (max(seriesKeys.count, 1), max(xKeys.count, 1))
    let group = rows.indices.map { (panelKeys.code[$0] * seriesCount + seriesKeys.code[$0]) * xCount + xKeys.code[$0] }
    let order = rows.indices.sorted { (group[$0], $0) < (group[$1], $1) }
    var samplesBySeries: [Int: [Double]] = [:]
    var samples: [Double] = []
    var next = 0
    if [.line, .bar, .box, .violin, .heatmap].contains(kind) {
      for p in figure.panels.indices { figure.panels[p].marks.reserveCapacity(rows.count / figure.panels.count + 1) }
    }
    while next < order.count {
      let key = group[order[next]]
      samples.removeAll(keepingCapacity: true)
      while next < order.count, group[order[next]] == key {
        samples.append(yValues.number(at: rows[order[next]]) ?? 0)
        next += 1
      }
      let (panel, rest) = key.quotientAndRemainder(dividingBy: seriesCount * xCount)
      let (series, xIndex) = rest.quotientAndRemainder(dividingBy: xCount)
      let x = xPositions.isEmpty ? 0 : xPositions[xIndex]
      switch kind {
      case .line, .bar:
        var mark = Figure.Mark(series: series, x: x, y: mean(samples))
        (mark.low, mark.high) = interval(samples, mean: mark.y, nonNegative: figure.y.nonNegative)
        mark.count = samples.count
        if samples.count > 1, samples.count <= Figure.runsShown { mark.runValues = samples }
        figure.panels[panel].marks.append(mark)
      case .scatter:
        figure.panels[panel].marks += samples.map { Figure.Mark(series: series, x: x, y: $0) }
      case .box, .violin:
        var mark = Figure.Mark(series: series, x: x, y: Aggregate.percentile(samples, 50))
        mark.box = kind == .violin ? Density.violin(samples, box: box(samples), floor: nonNegative ? 0 : nil) : box(samples)
        mark.count = samples.count
        if samples.count <= Figure.runsShown { mark.runValues = samples }
        figure.panels[panel].marks.append(mark)
      case .heatmap:
        var mark = Figure.Mark(series: 0, x: x, y: Double(series))
        mark.value = mean(samples)
        mark.count = samples.count
        figure.panels[panel].marks.append(mark)
      case .cdf:
        samplesBySeries[panel * seriesCount + series, default: []] += samples
      }
    }
    if kind == .cdf {
      // One step line per series over every sample, whatever x.
      for key in samplesBySeries.keys.sorted() {
        let sorted = samplesBySeries[key]!.sorted()
        let n = Double(sorted.count)
        let (panel, series) = key.quotientAndRemainder(dividingBy: seriesCount)
        figure.panels[panel].marks += sorted.enumerated().map { Figure.Mark(series: series, x: $1, y: Double($0 + 1) / n) }
      }
      figure.legendTitle = seriesColumns.isEmpty ? nil : figure.legendTitle
    }
    if kind == .line { figure.endOrder = endOrder(figure) }
    if request.logY == nil, [.line, .scatter].contains(kind), spansDecades(figure.marks.map(\.y)) { figure.y.log = true }
    let counts = Set(figure.marks.map(\.count))
    switch kind {
    case .line, .bar:
      let n = counts.count == 1 ? String(counts.first!) : "\(counts.min()!)–\(counts.max()!)"
      figure.subtitle = counts.max() ?? 0 > 1
        ? "n = \(n) runs per point: mean, 95% confidence interval" + (counts.max()! <= Figure.runsShown ? "; dots: each run" : "")
        : "n = 1 run per point"
    case .box: figure.subtitle = "n = \(rows.count) runs: median, quartiles, whiskers at 1.5 IQR"
    case .violin: figure.subtitle = "n = \(rows.count) runs: density (Gaussian kernel), quartiles, median"
    case .cdf: figure.subtitle = "n = \(rows.count) runs"
    case .heatmap: figure.subtitle = counts.max() ?? 0 > 1 ? "mean over repetitions" : nil
    case .scatter: figure.subtitle = "every run (n = \(rows.count))"
    }
    let logAxes = [figure.x.log && figure.x.categories == nil ? "x" : nil, figure.y.log ? "y" : nil].compactMap { $0 }
    if !logAxes.isEmpty { figure.subtitle = [figure.subtitle, "log scale on \(logAxes.joined(separator: " and "))"].compactMap { $0 }.joined(separator: "; ") }
    // Say what was left out: failed runs, and runs that did not return this result.
    let failed = status.map { column in column.values.count { $0 != .string("ok") && $0 != .nil } } ?? 0
    let without = table.rowCount - ended.count - failed
    var left: [String] = []
    if ended.count > rows.count { left.append(NumberBounds.leftOutNote(ended.count - rows.count)) }
    if failed > 0 { left.append("\(failed) run\(failed == 1 ? "" : "s") failed") }
    if without > 0 { left.append("\(without) run\(without == 1 ? "" : "s") without \(request.y)") }
    if !left.isEmpty { figure.subtitle = ([figure.subtitle].compactMap { $0 } + left).joined(separator: "; ") }
    return figure
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

  static func distinctCount(_ column: Table.Column, _ rows: [Int]) -> Int {
    Table.distinct(column.values, rows).values.count
  }

  /// The distinct combinations of `columns` over `rows`, ordered by value: numbers (of a
  /// variable without labels) in numeric order, other values in order of first appearance
  /// (the script's order in a full design), the first column first. A sampled design, whose
  /// runs come in random order, gets its series and small multiples in the same order.
  static func keys(_ columns: [Table.Column], _ rows: [Int]) -> Table.Grouping {
    let grouping = Table.grouping(columns, rows)
    guard grouping.count > 1 else { return grouping }
    let ranks = grouping.columns.enumerated().map { index, values in valueRanks(values, numeric: columns[index].labels == nil) }
    let order = (0..<grouping.count).sorted { a, b in
      for rank in ranks where rank[a] != rank[b] { return rank[a] < rank[b] }
      return a < b
    }
    var position = Array(repeating: 0, count: order.count)
    for (new, old) in order.enumerated() { position[old] = new }
    return Table.Grouping(columns: grouping.columns.map { values in order.map { values[$0] } }, code: grouping.code.map { position[$0] })
  }

  /// Each value's rank: by number when every value is one (and `numeric`), else by first
  /// appearance.
  static func valueRanks(_ values: [LuaValue], numeric: Bool) -> [Int] {
    let numbers = values.map(\.doubleValue)
    if numeric, numbers.allSatisfy({ $0 != nil }) {
      let distinct = Array(Set(numbers.map { $0! })).sorted()
      return numbers.map { distinct.firstIndex(of: $0!)! }
    }
    var first: [Int] = []
    for (index, value) in values.enumerated() { first.append(values.firstIndex(of: value) ?? index) }
    return first
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
  static func looksGeometric(_ values: [Double]) -> Bool {
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
  static func spansDecades(_ values: [Double], _ decades: Double = 3) -> Bool {
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
