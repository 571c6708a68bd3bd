internal import MPFCore
import MPFResults
import MPFSystem

/// A plan made into a figure: its axes and legend, its marks (the runs grouped panel → series
/// → x), and the subtitle that says what they stand for.
extension FigurePlan {
  /// The figure's axes, series and panels, without marks.
  func emptyFigure(name: String) -> Figure {
    let describe = FigureBuilder.describe
    var figure = Figure(
      kind: kind, title: request.title ?? "\(name): \(request.y)",
      x: Figure.Axis(name: xColumn?.name ?? ""), y: Figure.Axis(name: request.y, unit: yColumn.unit),
      series: seriesKeys.keys.map { describe($0, seriesColumns, false) }, panels: [])
    figure.legendTitle = seriesColumns.isEmpty ? nil : seriesNames.joined(separator: ", ")
    if seriesColumns.isEmpty && kind != .heatmap { figure.series = [request.y] }
    figure.x = xAxis()
    figure.y.log = request.logY ?? false
    figure.y.nonNegative = nonNegative
    if kind == .heatmap, let vertical = seriesColumns.first {
      figure.y = Figure.Axis(name: vertical.name, categories: seriesKeys.keys.map { describe($0, [vertical], false) })
      figure.series = []
      figure.legendTitle = request.y
      figure.valueUnit = yColumn.unit
    }
    if kind == .cdf {
      figure.x = Figure.Axis(name: request.y, unit: yColumn.unit, log: request.logX ?? false)
      figure.x.nonNegative = nonNegative
      figure.y = Figure.Axis(name: "fraction of runs")
    }
    figure.panels = panelKeys.keys.isEmpty
      ? [Figure.Panel(title: nil)]
      : panelKeys.keys.map { Figure.Panel(title: describe($0, panelColumns, true)) }
    return figure
  }

  /// The x axis: categories, or numbers (a log axis for values that grow by a factor or span
  /// 3 decades; exactly their values as ticks when few).
  func xAxis() -> Figure.Axis {
    var axis = Figure.Axis(name: xColumn?.name ?? "")
    let xValues = xKeys.columns.first ?? []
    guard let xColumn else {
      if kind != .cdf { axis.categories = [request.y] }
      return axis
    }
    if xCategorical {
      axis.categories = xValues.map { FigureBuilder.describe([$0], [xColumn]) }
      return axis
    }
    // Read in place (an array of them was 1 MB for 100 000 x values).
    let values = xValues.lazy.compactMap(\.doubleValue)
    axis.log = request.logX ?? (FigureBuilder.looksGeometric(values) || FigureBuilder.spansDecades(values))
    if values.count <= 12 {
      axis.fixedTicks = xValues.compactMap { value in value.doubleValue.map { ($0, FigureBuilder.describe([value], [xColumn])) } }
    }
    return axis
  }

  /// The marks: the runs grouped panel → series → x (each group's key one number), each group
  /// made into its mark by `mark(_:series:x:into:)`.
  func addMarks(to figure: inout Figure) {
    let xValues = xKeys.columns.first ?? []
    // Each x key's place on the axis, read when its mark is made (no array of them: 8 bytes a
    // key, 0.8 MB for a line of 100 000 points).
    func xPosition(_ index: Int) -> Double { xCategorical ? Double(index) : xValues.number(at: index) ?? Double(index) }
    let (seriesCount, xCount) = (max(seriesKeys.count, 1), max(xKeys.count, 1))
    let order = groupOrder(seriesCount: seriesCount, xCount: xCount)
    let yValues = yColumn.values
    var cdfSamples: [Int: [Double]] = [:]
    var samples: [Double] = []
    var next = 0
    if kind != .scatter && kind != .cdf {
      // A mark a group: no more than the series times the x values (a tenth of the runs with 10
      // repetitions), nor than the runs.
      let marks = min(rows.count / figure.panels.count + 1, seriesCount * xCount)
      for p in figure.panels.indices { figure.panels[p].marks.reserveCapacity(marks) }
    }
    while next < order.count {
      let key = group(Int(order[next]), seriesCount, xCount)
      samples.removeAll(keepingCapacity: true)
      while next < order.count, group(Int(order[next]), seriesCount, xCount) == key {
        samples.append(yValues.number(at: rows[Int(order[next])]) ?? 0)
        next += 1
      }
      let (panel, rest) = key.quotientAndRemainder(dividingBy: seriesCount * xCount)
      let (series, xIndex) = rest.quotientAndRemainder(dividingBy: xCount)
      if kind == .cdf {
        cdfSamples[panel * seriesCount + series, default: []] += samples
      } else {
        figure.panels[panel].marks += marks(samples, series: series, x: xValues.isEmpty ? 0 : xPosition(xIndex))
      }
    }
    if kind == .cdf { addSteps(cdfSamples, seriesCount: seriesCount, to: &figure) }
  }

  /// The group (panel → series → x, as one number) of the run at `position` in `rows`.
  func group(_ position: Int, _ seriesCount: Int, _ xCount: Int) -> Int {
    func code(_ keys: Table.Grouping) -> Int { keys.code.isEmpty ? 0 : Int(keys.code[position]) }
    return (code(panelKeys) * seriesCount + code(seriesKeys)) * xCount + code(xKeys)
  }

  /// The positions in `rows` ordered by group, in the order of `rows` within a group: counted
  /// into place when the groups are not many more than the rows (no per-row key kept), else
  /// sorted.
  func groupOrder(seriesCount: Int, xCount: Int) -> [Int32] {
    let (groups, overflow) = max(panelKeys.count, 1).multipliedReportingOverflow(by: seriesCount * xCount)
    guard !overflow, groups <= 4 * rows.count + 1024 else {
      return (0..<Int32(rows.count)).sorted { a, b in
        (group(Int(a), seriesCount, xCount), a) < (group(Int(b), seriesCount, xCount), b)
      }
    }
    var start = [Int32](repeating: 0, count: groups + 1)
    for position in rows.indices { start[group(position, seriesCount, xCount) + 1] += 1 }
    for index in 0..<groups { start[index + 1] += start[index] }
    var order = [Int32](repeating: 0, count: rows.count)
    for position in rows.indices {
      let key = group(position, seriesCount, xCount)
      order[Int(start[key])] = Int32(position)
      start[key] += 1
    }
    return order
  }

  /// The marks of one group of runs.
  func marks(_ samples: [Double], series: Int, x: Double) -> [Figure.Mark] {
    switch kind {
    case .line, .bar:
      var mark = Figure.Mark(series: series, x: x, y: FigureBuilder.mean(samples))
      (mark.low, mark.high) = FigureBuilder.interval(samples, mean: mark.y, nonNegative: nonNegative)
      mark.count = samples.count
      if samples.count > 1, samples.count <= Figure.runsShown { mark.runValues = samples }
      return [mark]
    case .scatter:
      return samples.map { Figure.Mark(series: series, x: x, y: $0) }
    case .box, .violin:
      var mark = Figure.Mark(series: series, x: x, y: Aggregate.percentile(samples, 50))
      let box = FigureBuilder.box(samples)
      mark.box = kind == .violin ? Density.violin(samples, box: box, floor: nonNegative ? 0 : nil) : box
      mark.count = samples.count
      if samples.count <= Figure.runsShown { mark.runValues = samples }
      return [mark]
    case .heatmap:
      var mark = Figure.Mark(series: 0, x: x, y: Double(series))
      mark.value = FigureBuilder.mean(samples)
      mark.count = samples.count
      return [mark]
    case .cdf:
      return []
    }
  }

  /// One step line per series over every sample, whatever x.
  func addSteps(_ samplesBySeries: [Int: [Double]], seriesCount: Int, to figure: inout Figure) {
    for key in samplesBySeries.keys.sorted() {
      let sorted = samplesBySeries[key]!.sorted()
      let n = Double(sorted.count)
      let (panel, series) = key.quotientAndRemainder(dividingBy: seriesCount)
      figure.panels[panel].marks += sorted.enumerated().map { Figure.Mark(series: series, x: $1, y: Double($0 + 1) / n) }
    }
  }
}
