import Testing
import MPFCore
import MPFResults
@testable import MPFGraphs

/// What a reviewer of a paper would ask of a graph: axes that do not lie, every run visible,
/// series that stay apart, ticks that can be read.
@Suite struct ReviewerTests {
  /// A latency measured 3 times per point, widely spread: its 95% interval would reach far
  /// below zero.
  static func latencies(unit: String? = "s", values: [Double] = [0.001, 0.002, 0.030]) -> Table {
    var x: [LuaValue] = [], y: [LuaValue] = []
    for size in [1, 2, 3] {
      for value in values {
        x.append(.integer(Int64(size)))
        y.append(.number(value * Double(size)))
      }
    }
    return Table(columns: [.init(name: "size", values: x, isVariable: true), .init(name: "latency", values: y, unit: unit)])
  }

  /// Two series with the same values: the first drawn is wider, so it shows around the second
  /// instead of being hidden under it.
  @Test func coincidingLinesStayVisible() throws {
    var x: [LuaValue] = [], mode: [LuaValue] = [], y: [LuaValue] = []
    for name in ["a", "b", "c"] { for size in 1...4 { x.append(.integer(Int64(size))); mode.append(.string(name)); y.append(.number(Double(size))) } }
    let table = Table(columns: [
      .init(name: "size", values: x, isVariable: true), .init(name: "mode", values: mode, isVariable: true), .init(name: "y", values: y, unit: "s"),
    ])
    let svg = SVGFigure(try FigureBuilder.figure(table, PlotRequest(y: "y"), name: "t")).render()
    let widths = svg.split(separator: "<path class=\"series\"").dropFirst().compactMap { line in
      line.split(separator: "stroke-width=\"").dropFirst().first.map { String($0.prefix { $0 != "\"" }) }
    }
    #expect(widths.count == 3 && Set(widths).count == 3, "\(widths)")
    #expect(widths == widths.sorted { (Double($0) ?? 0) > (Double($1) ?? 0) }, "the first drawn is the widest: \(widths)")
  }

  @Test func aQuantityNeverNegativeStartsAtZeroAndItsIntervalsStopThere() throws {
    for table in [Self.latencies(), Self.latencies(unit: nil)] {
      let figure = try FigureBuilder.figure(table, PlotRequest(y: "latency"), name: "t")
      #expect(figure.y.nonNegative)
      #expect(figure.marks.allSatisfy { ($0.low ?? 0) >= 0 })
      #expect(figure.marks.contains { $0.low == 0 })
      let (_, yScale) = SVGFigure(figure).scales
      #expect(yScale?.low == 0)
      #expect(yScale?.ticks.allSatisfy { $0.value >= 0 } == true)
      let svg = SVGFigure(figure).render()
      #expect(!svg.contains(">-"))
      #expect(!svg.contains(">−"))
    }
    // A unit that cannot be negative keeps the axis at 0 even for a scatter; a quantity that
    // went below zero keeps its interval.
    let scatter = try FigureBuilder.figure(Self.latencies(), PlotRequest(y: "latency", kind: .scatter), name: "t")
    #expect(SVGFigure(scatter).scales.1?.low == 0)
    let signed = try FigureBuilder.figure(Self.latencies(unit: nil, values: [-0.001, 0.002, 0.030]), PlotRequest(y: "latency"), name: "t")
    #expect(!signed.y.nonNegative)
    #expect(signed.marks.contains { ($0.low ?? 0) < 0 })
  }

  @Test func eachRunIsAFaintDotBehindTheMeanAndTheSubtitleSaysN() throws {
    let figure = try FigureBuilder.figure(Self.latencies(), PlotRequest(y: "latency"), name: "t")
    #expect(figure.marks.allSatisfy { $0.runValues.count == 3 })
    #expect(figure.marks.first?.runValues == [0.001, 0.002, 0.030])
    #expect(figure.subtitle?.contains("n = 3 runs per point") == true)
    let svg = SVGFigure(figure).render()
    #expect(svg.ranges(of: "<g class=\"runs\"").count == 3)
    // Drawn before (behind) the line, the same every time.
    #expect(svg.ranges(of: "class=\"runs\"").first!.lowerBound < svg.ranges(of: "class=\"series\"").first!.lowerBound)
    #expect(svg == SVGFigure(figure).render())
    let bars = try FigureBuilder.figure(Self.latencies(), PlotRequest(y: "latency", kind: .bar), name: "t")
    #expect(SVGFigure(bars).render().ranges(of: "<g class=\"runs\"").count == 3)
    // Many runs per point: the interval alone.
    let many = try FigureBuilder.figure(Self.latencies(values: (0..<31).map { Double($0) }), PlotRequest(y: "latency"), name: "t")
    #expect(many.marks.allSatisfy { $0.runValues.isEmpty })
    #expect(many.subtitle?.contains("n = 31 runs per point") == true)
    #expect(many.subtitle?.contains("dots") == false)
  }

  @Test func manySeriesNeverShareAStyleAndTheLegendFollowsTheEnds() throws {
    let styles = (0..<512).map { Palette.style($0) }
    #expect(Set(styles.map { "\($0.colour) \($0.marker) \($0.dash)" }).count == 512)
    #expect((0..<8).allSatisfy { Palette.style($0) == ($0, $0, $0) })
    // 12 series: series k ends at 12 - k... except that the order is shuffled by a rank.
    var x: [LuaValue] = [], k: [LuaValue] = [], y: [LuaValue] = []
    let ends = [3, 11, 0, 7, 5, 9, 1, 10, 2, 8, 4, 6]
    for (series, end) in ends.enumerated() {
      for step in 0..<3 {
        x.append(.integer(Int64(step)))
        k.append(.string("s\(series)"))
        y.append(.integer(Int64(step == 2 ? end : 5)))
      }
    }
    let table = Table(columns: [
      .init(name: "x", values: x, isVariable: true), .init(name: "k", values: k, isVariable: true), .init(name: "y", values: y),
    ])
    var request = PlotRequest(y: "y", by: ["k"])
    request.maxSeries = 12
    let figure = try FigureBuilder.figure(table, request, name: "t")
    #expect(figure.series.count == 12)
    #expect(figure.legendOrder.map { ends[$0] } == [11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0])
    let svg = SVGFigure(figure).render()
    let labels = svg.ranges(of: "class=\"legend-label\"").map { svg[$0.upperBound...].prefix(40) }
    #expect(labels.first?.contains(">s1<") == true)
    #expect(labels.last?.contains(">s2<") == true)
    // Series 0 and 8 share a colour but not a marker.
    #expect(Palette.marker(0) != Palette.marker(8))
  }

  /// The x positions of the tick labels under the x axis and their estimated widths.
  static func xTickLabels(_ svg: String) -> [(x: Double, text: String)] {
    guard let axis = svg.ranges(of: "<g class=\"axis x\">").first else { return [] }
    let part = svg[axis.upperBound...].prefix { $0 != "<" || true }
    let end = part.ranges(of: "</g>").first!.lowerBound
    return part[..<end].split(separator: "\n").filter { $0.contains("class=\"tick\"") }.map { line in
      let text = String(line[line.ranges(of: "\">").last!.upperBound...].prefix { $0 != "<" })
      let xField = line.ranges(of: "x=\"").first.map { line[$0.upperBound...].prefix { $0 != "\"" } }
        ?? line.ranges(of: "translate(").first.map { line[$0.upperBound...].prefix { $0 != " " } }!
      return (Double(xField)!, text)
    }
  }

  @Test func valuesOverThreeDecadesGetALogAxisSaidInTheSubtitle() throws {
    var x: [LuaValue] = [], y: [LuaValue] = []
    for size in [1, 5, 20, 300, 1000, 5000] {
      x.append(.integer(Int64(size)))
      y.append(.number(Double(size) * 1e-6))
    }
    let table = Table(columns: [.init(name: "size", values: x, isVariable: true), .init(name: "latency", values: y, unit: "s")])
    let figure = try FigureBuilder.figure(table, PlotRequest(y: "latency"), name: "t")
    #expect(figure.x.log)
    #expect(figure.y.log)
    #expect(figure.subtitle?.contains("log scale on x and y") == true)
    let linear = try FigureBuilder.figure(Self.latencies(), PlotRequest(y: "latency"), name: "t")
    #expect(linear.subtitle?.contains("log scale") == false)
  }

  @Test func denseOrLongCategoryLabelsAreRotatedAndThinnedNeverOverlapping() throws {
    for (count, label) in [(60, "configuration-"), (8, "a very long category name number "), (200, "c")] {
      var x: [LuaValue] = [], y: [LuaValue] = []
      for i in 0..<count {
        x.append(.string("\(label)\(i)"))
        y.append(.integer(Int64(i)))
      }
      let table = Table(columns: [.init(name: "setting", values: x, isVariable: true), .init(name: "y", values: y)])
      let svg = SVGFigure(try FigureBuilder.figure(table, PlotRequest(y: "y"), name: "t")).render()
      let ticks = Self.xTickLabels(svg)
      #expect(!ticks.isEmpty)
      let rotated = svg.contains("rotate(-45)")
      for (a, b) in zip(ticks, ticks.dropFirst()) {
        // Rotated labels need a line's height between them (along the 45° slant); flat ones their widths.
        let needed = rotated ? TickLayout.lineHeight * 2.0.squareRoot() - 0.5 : (TickLayout.width(a.text) + TickLayout.width(b.text)) / 2
        #expect(b.x - a.x >= needed, "\(count) labels: \(a.text) at \(a.x), \(b.text) at \(b.x)")
      }
    }
    // Numeric ticks too: long numbers at close values are thinned.
    let kept = TickLayout.thinned([(0, "1000000"), (20, "2000000"), (60, "3000000"), (120, "4000000")])
    #expect(kept == [0, 2, 3])
  }

  @Test func smallMultiplesShareAxesAndAreOrderedByValue() throws {
    // A sampled design: runs in random order; panels by `cpus` and `queue` (numbers).
    var rows: [(Int64, Int64, Int64)] = []
    for cpus in [8, 1, 4, 2] { for queue in [64, 8, 512] { for size in [1, 2, 3] { rows.append((Int64(cpus), Int64(queue), Int64(size))) } } }
    rows = rows.enumerated().sorted { ($0.offset * 7919) % 37 < ($1.offset * 7919) % 37 }.map(\.element)
    let table = Table(columns: [
      .init(name: "cpus", values: rows.map { .integer($0.0) }, isVariable: true),
      .init(name: "queue", values: rows.map { .integer($0.1) }, isVariable: true),
      .init(name: "size", values: rows.map { .integer($0.2) }, isVariable: true),
      .init(name: "mode", values: rows.indices.map { .string($0 % 2 == 0 ? "a" : "b") }, isVariable: true),
      .init(name: "y", values: rows.map { .integer($0.0 * $0.1 * $0.2) }),
    ])
    var request = PlotRequest(y: "y", x: "size", by: nil)
    request.maxSeries = 1
    let figure = try FigureBuilder.figure(table, request, name: "t")
    let titles = figure.panels.compactMap(\.title)
    #expect(titles.count >= 4)
    #expect(figure.series.count == 2)
    #expect(titles.count == 12)
    #expect(titles.prefix(4) == ["cpus = 1, queue = 8", "cpus = 1, queue = 64", "cpus = 1, queue = 512", "cpus = 2, queue = 8"])
    // One y scale for every panel: the tick texts are the same in each.
    let svg = SVGFigure(figure).render()
    let yAxes = svg.split(separator: "<g class=\"axis y\">").dropFirst().map { group in
      group.split(separator: "</g>")[0].split(separator: "class=\"tick\"").dropFirst().map { String($0.split(separator: ">")[1].prefix { $0 != "<" }) }
    }
    #expect(yAxes.count == figure.panels.count)
    #expect(Set(yAxes).count == 1)
  }

  @Test func violinsDrawTheDensityOfTheRuns() throws {
    let figure = try FigureBuilder.figure(FigureBuilderTests.table(failing: false), PlotRequest(y: "goodput", x: "size", kind: .violin), name: "t")
    #expect(figure.kind == .violin)
    let box = try #require(figure.marks.first?.box)
    #expect(box.density.count == 48)
    #expect(box.densityLow < 64e6 && box.densityHigh > 74e6)
    // Two runs at 64e6 and 74e6: the density peaks near each and is symmetric about 69e6.
    #expect(abs(box.density[0] - box.density[47]) < 1e-18)
    #expect(box.density[24] < box.density.max()!)
    let svg = SVGFigure(figure).render()
    #expect(svg.ranges(of: "<g class=\"violin\">").count == 6)
    #expect(svg.contains("<g class=\"runs\""))
    #expect(figure.subtitle?.contains("n = 12 runs") == true)
    let csv = FigureData(figure).csv().split(separator: "\n")
    #expect(csv[0] == "panel,series,x,whisker_low,q1,median,q3,whisker_high,runs,each_run,density_low,density_high,density")
    #expect(csv[1].split(separator: ",").last?.split(separator: " ").count == 48)
  }

  /// 20 points sampled out of 6 × 5 × 4 = 120 combinations, 2 runs each.
  static func sampled() -> Table {
    var a: [LuaValue] = [], b: [LuaValue] = [], c: [LuaValue] = [], y: [LuaValue] = []
    for point in 0..<20 {
      let (i, j, k) = ((point * 7) % 6, (point * 3) % 5, (point * 11) % 4)
      for run in 0..<2 {
        a.append(.integer(Int64(1 << i)))
        b.append(.string(["x", "y", "z", "w", "v"][j]))
        c.append(.number(Double(k) / 4))
        y.append(.number(Double(1 << i) * 10 + Double(j) + Double(run)))
      }
    }
    return Table(columns: [
      .init(name: "a", values: a, isVariable: true), .init(name: "b", values: b, isVariable: true),
      .init(name: "c", values: c, isVariable: true), .init(name: "y", values: y),
    ])
  }

  @Test func aSampledDesignGetsMainEffectsAndScatters() throws {
    let table = Self.sampled()
    #expect(DesignGraphs.isSampled(table))
    #expect(!DesignGraphs.isSampled(FigureBuilderTests.table()))
    let figures = FigureBuilder.automatic(table, name: "t")
    #expect(figures.map(\.result) == ["y-by-a", "y-by-b", "y-by-c", "y-vs-a", "y-vs-c"])
    let main = figures[0].figure
    #expect(main.panels.count == 1)
    #expect(main.series.count == 1)
    #expect(main.subtitle?.contains("mean over every other variable") == true)
    // a = 1: the mean of every run with a = 1, whatever b and c.
    var sum = 0.0, count = 0
    for row in 0..<table.rowCount where table.columns[0].values[row] == .integer(1) {
      sum += table.columns[3].values[row].doubleValue!
      count += 1
    }
    #expect(main.marks.first { $0.x == 1 }?.y == sum / Double(count))
    #expect(main.marks.first { $0.x == 1 }?.low != nil)
    #expect(figures[1].figure.kind == .bar)
    #expect(figures[3].figure.kind == .scatter)
    #expect(figures[3].figure.marks.count == 40)
    // Said by the experiment: a full design stays as it is, a sampled one is sampled.
    #expect(FigureBuilder.automatic(FigureBuilderTests.table(), name: "t", design: "lhs").count == 3)
  }
}

extension ReviewerTests {
  @Test func aViolinOfANonNegativeQuantityStopsAtZero() throws {
    let figure = try FigureBuilder.figure(Self.latencies(values: [0.001, 0.0012, 0.009, 0.01]), PlotRequest(y: "latency", kind: .violin), name: "t")
    #expect(figure.marks.allSatisfy { $0.box!.densityLow >= 0 })
    #expect(SVGFigure(figure).scales.1?.low == 0)
  }
}

extension ReviewerTests {
  @Test func aLongSubtitleIsWrappedNotCut() throws {
    #expect(TickLayout.wrapped("", width: 100) == [])
    let lines = TickLayout.wrapped("mean over every other variable; n = 8 runs per point: mean, 95% confidence interval; dots: each run", width: 300)
    #expect(lines.count >= 2)
    #expect(lines.allSatisfy { TickLayout.width($0) <= 300 })
    #expect(lines.joined(separator: " ") == "mean over every other variable; n = 8 runs per point: mean, 95% confidence interval; dots: each run")
  }
}
