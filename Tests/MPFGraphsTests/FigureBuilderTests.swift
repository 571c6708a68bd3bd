import Testing
import MPFCore
import MPFResults
import MPFGraphs

/// What the graphs show: the choice of x, series and panels, and the aggregates behind each
/// mark, checked against values worked out by hand.
@Suite struct FigureBuilderTests {
  /// size (numeric, 3 values) × mode (labelled, 2 values), 2 repetitions each, goodput in bit/s;
  /// one failed run and one run without a value.
  static func table(failing: Bool = true) -> Table {
    var size: [LuaValue] = [], mode: [LuaValue] = [], goodput: [LuaValue] = [], status: [LuaValue] = [], note: [LuaValue] = []
    for s in [64, 1024, 256] {
      for m in ["", "-Z"] {
        for repetition in 0..<2 {
          size.append(.integer(Int64(s)))
          mode.append(.string(m))
          let value = Double(s) * (m == "" ? 1 : 2) + Double(repetition) * 10
          goodput.append(.number(value * 1e6))
          status.append("ok")
          note.append("x")
        }
      }
    }
    if failing {
      // Run 3 (size 64, -Z, repetition 1) failed: it has no value and must not count.
      status[3] = "failed"
      goodput[3] = .nil
    }
    return Table(columns: [
      .init(name: "size", values: size, isVariable: true),
      .init(name: "mode", values: mode, labels: ["": "copy", "-Z": "zerocopy"], isVariable: true),
      .init(name: "repetition", values: (0..<size.count).map { .integer(Int64($0 % 2)) }),
      .init(name: "goodput", values: goodput, unit: "bits/s"),
      .init(name: "note", values: note),
      .init(name: "status", values: status),
      .init(name: "error", values: Array(repeating: .nil, count: size.count)),
    ])
  }

  @Test func numericVariableIsXOtherVariablesAreSeries() throws {
    let figure = try FigureBuilder.figure(Self.table(), PlotRequest(y: "goodput"), name: "t")
    #expect(figure.kind == .line)
    #expect(figure.x.name == "size")
    #expect(figure.x.categories == nil)
    #expect(figure.series == ["copy", "zerocopy"])
    #expect(figure.legendTitle == "mode")
    #expect(figure.panels.count == 1)
    #expect(figure.title == "t: goodput")
    // Marks in numeric order of x, whatever order the rows came in.
    let copy = figure.marks.filter { $0.series == 0 }
    #expect(copy.map(\.x) == [64, 256, 1024])
    // size 64, copy: 64e6 and 74e6 → mean 69e6; CI half-width t(1) × s / √2 = 12.706 × 7.0711e6 / 1.4142 = 63.53e6.
    let first = try #require(copy.first)
    #expect(first.y == 69e6)
    #expect(first.count == 2)
    let half = 12.706 * (50e12.squareRoot()) / 2.0.squareRoot()
    #expect(abs(first.high! - (69e6 + half)) < 1)
    #expect(abs(first.low! - (69e6 - half)) < 1)
    // size 64, zerocopy: the failed run is left out: one sample, no interval.
    let failedPoint = try #require(figure.marks.first { $0.series == 1 && $0.x == 64 })
    #expect(failedPoint.y == 128e6)
    #expect(failedPoint.count == 1)
    #expect(failedPoint.low == nil)
    #expect(figure.subtitle?.contains("1 run failed") == true)
  }

  @Test func categoricalXGivesGroupedBars() throws {
    let figure = try FigureBuilder.figure(Self.table(), PlotRequest(y: "goodput", x: "mode"), name: "t")
    #expect(figure.kind == .bar)
    #expect(figure.x.categories == ["copy", "zerocopy"])
    #expect(figure.series == ["64", "256", "1024"])
  }

  @Test func noVaryingVariableGivesOneBar() throws {
    let table = Table(columns: [
      .init(name: "repetition", values: [0, 1, 2]),
      .init(name: "latency", values: [0.001, 0.002, 0.003], unit: "s"),
      .init(name: "status", values: ["ok", "ok", "ok"]),
    ])
    let figure = try FigureBuilder.figure(table, PlotRequest(y: "latency"), name: "t")
    #expect(figure.kind == .bar)
    #expect(figure.x.categories == ["latency"])
    #expect(figure.marks.count == 1)
    #expect(figure.marks.first?.y == 0.002)
    #expect(figure.subtitle?.contains("n = 3 runs per point: mean") == true)
  }

  @Test func tooManySeriesBecomeSmallMultiples() throws {
    // a: 2 values, b: 4 values, c: 5 values (x). 2 × 4 = 8 series > 6: b becomes panels.
    var a: [LuaValue] = [], b: [LuaValue] = [], c: [LuaValue] = [], y: [LuaValue] = []
    for i in 0..<2 { for j in 0..<4 { for k in 0..<5 { a.append(.integer(Int64(i))); b.append(.string("b\(j)")); c.append(.integer(Int64(k))); y.append(.integer(Int64(i + j + k))) } } }
    let table = Table(columns: [
      .init(name: "a", values: a, isVariable: true), .init(name: "b", values: b, isVariable: true),
      .init(name: "c", values: c, isVariable: true), .init(name: "y", values: y),
    ])
    let figure = try FigureBuilder.figure(table, PlotRequest(y: "y"), name: "t")
    #expect(figure.x.name == "c")
    #expect(figure.series == ["0", "1"])
    #expect(figure.panels.map(\.title) == ["b = b0", "b = b1", "b = b2", "b = b3"])
    #expect(figure.panels.allSatisfy { $0.marks.count == 10 })
  }

  @Test func everyNumericResultGetsAGraphAndOnlyThose() throws {
    let figures = FigureBuilder.automatic(Self.table(), name: "t")
    #expect(figures.map(\.result) == ["goodput"])
    #expect(FigureBuilder.numericResults(of: Self.table()) == ["goodput"])
  }

  @Test func geometricValuesGetALogAxisAndTheirOwnTicks() throws {
    let figure = try FigureBuilder.figure(Self.table(), PlotRequest(y: "goodput"), name: "t")
    #expect(figure.x.log == false)  // 64 → 1024 is 16×: not enough for a log axis
    var values: [LuaValue] = [], y: [LuaValue] = []
    for v in [1, 10, 100, 1000] { values.append(.integer(Int64(v))); y.append(.integer(Int64(v))) }
    let table = Table(columns: [.init(name: "n", values: values, isVariable: true), .init(name: "y", values: y)])
    let logFigure = try FigureBuilder.figure(table, PlotRequest(y: "y"), name: "t")
    #expect(logFigure.x.log)
    #expect(logFigure.x.fixedTicks?.map(\.text) == ["1", "10", "100", "1000"])
  }

  @Test func otherKinds() throws {
    let box = try FigureBuilder.figure(Self.table(failing: false), PlotRequest(y: "goodput", x: "size", kind: .box), name: "t")
    // size 64, copy: 64e6 and 74e6 → quartiles by linear interpolation: 66.5e6, 69e6, 71.5e6.
    let first = try #require(box.marks.first { $0.series == 0 }?.box)
    #expect((first.q1, first.median, first.q3) == (66.5e6, 69e6, 71.5e6))
    #expect((first.whiskerLow, first.whiskerHigh) == (64e6, 74e6))
    let cdf = try FigureBuilder.figure(Self.table(failing: false), PlotRequest(y: "goodput", kind: .cdf), name: "t")
    #expect(cdf.x.name == "goodput")
    #expect(cdf.marks.count == 12)
    let last = cdf.marks.filter { $0.series == 0 }.last
    #expect(last?.y == 1)
    let heat = try FigureBuilder.figure(Self.table(failing: false), PlotRequest(y: "goodput", x: "size", by: ["mode"], kind: .heatmap), name: "t")
    #expect(heat.y.categories == ["copy", "zerocopy"])
    #expect(heat.x.categories == ["64", "256", "1024"])
    #expect(heat.marks.count == 6)
    #expect(heat.marks.first { $0.x == 0 && $0.y == 1 }?.value == 133e6)
    let scatter = try FigureBuilder.figure(Self.table(), PlotRequest(y: "goodput", kind: .scatter), name: "t")
    #expect(scatter.marks.count == 11)
  }

  @Test func badRequestsNameTheColumns() {
    #expect(throws: LuaRaise.self) { try FigureBuilder.figure(Self.table(), PlotRequest(y: "typo"), name: "t") }
    do {
      _ = try FigureBuilder.figure(Self.table(), PlotRequest(y: "note"), name: "t")
      Issue.record("a string column was drawn")
    } catch let error as LuaRaise {
      #expect(error.message.contains("holds no number"))
      #expect(error.message.contains("goodput"))
    } catch {
      Issue.record("\(error)")
    }
    // A heatmap needs two varying variables.
    let one = try? Self.table().filter(equal: [("mode", "")])
    #expect(throws: LuaRaise.self) { try FigureBuilder.figure(one!, PlotRequest(y: "goodput", kind: .heatmap), name: "t") }
  }

  /// x values that double each time get a log axis however many (1001 powers of two); 5000
  /// values cannot all grow by a factor, and no more than the spread of 3 decades decides.
  @Test func aGeometricXIsFoundAmongManyValues() throws {
    func xIsLog(_ xs: [Double]) throws -> Bool {
      let table = Table(columns: [
        Table.Column(name: "x", values: xs.map { LuaValue.number($0) }, isVariable: true),
        Table.Column(name: "y", values: xs.indices.map { LuaValue.integer(Int64($0)) }),
      ])
      return try FigureBuilder.figure(table, PlotRequest(y: "y"), name: "t").x.log
    }
    #expect(try xIsLog((0...1000).map { Double(sign: .plus, exponent: $0, significand: 1) }))
    #expect(try !xIsLog((1001...6000).map(Double.init)))
    #expect(try xIsLog((1001...6000).map { Double($0) * ($0 == 6000 ? 1000 : 1) }), "3 decades from the smallest to the largest")
  }
}
