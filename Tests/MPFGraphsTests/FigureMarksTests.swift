import Testing
import MPFCore
import MPFResults
import MPFGraphs

/// Marks kept by column give back each mark as it was appended, and the grouping of runs into
/// marks holds whether the groups are counted into place or sorted.
@Suite struct FigureMarksTests {
  @Test func marksKeptByColumnComeBackAsAppended() {
    var first = Figure.Mark(series: 0, x: 1, y: 10)
    first.count = 3
    var second = Figure.Mark(series: 0, x: 2, y: 20)
    second.count = 3
    // From the third mark on, every column differs from the first marks' shared values.
    var third = Figure.Mark(series: 2, x: 3, y: 30)
    (third.low, third.high, third.value, third.count) = (25, 35, 7, 4)
    third.runValues = [29, 31]
    let fourth = Figure.Mark(series: 1, x: 4, y: 40)
    var marks = Figure.Marks()
    marks += [first, second, third, fourth]
    #expect(marks.map(\.series) == [0, 0, 2, 1])
    #expect(marks.map(\.x) == [1, 2, 3, 4])
    #expect(marks.map(\.y) == [10, 20, 30, 40])
    #expect(marks.map(\.count) == [3, 3, 4, 1])
    #expect(marks.map(\.low) == [nil, nil, 25, nil])
    #expect(marks.map(\.high) == [nil, nil, 35, nil])
    #expect(marks.map(\.value) == [nil, nil, 7, nil])
    #expect(marks.map(\.runValues) == [[], [], [29, 31], []])
    #expect(marks.seriesPresent == [0, 1, 2])
    #expect(marks.marks(of: 0, sortedBy: { $0.x > $1.x }).map(\.x) == [2, 1])
  }

  /// x of 60 values and series of 40 over 60 points of 2 runs: 2400 possible groups, more than
  /// 4 × 120 + 1024, so the runs are sorted into groups rather than counted into place; each
  /// point's two runs (far apart in the table) make one mark.
  @Test func sparseGroupsAreSortedIntoMarks() throws {
    var a: [LuaValue] = [], b: [LuaValue] = [], y: [LuaValue] = []
    for run in 0..<120 {
      a.append(.integer(Int64(run % 60)))
      b.append(.integer(Int64(run % 60 * 7 % 40)))
      y.append(.number(Double(run)))
    }
    let table = Table(columns: [
      .init(name: "a", values: a, isVariable: true), .init(name: "b", values: b, isVariable: true), .init(name: "y", values: y),
    ])
    let figure = try FigureBuilder.figure(table, PlotRequest(y: "y", x: "a", by: ["b"]), name: "t")
    #expect(figure.marks.count == 60)
    #expect(figure.marks.allSatisfy { $0.count == 2 })
    // Each mark is the mean of point k's runs k and k + 60, at its x, in its series.
    for mark in figure.marks {
      let point = Int(mark.y) - 30
      #expect(mark.x == Double(point))
      #expect(figure.series[mark.series] == "\(point * 7 % 40)")
    }
  }
}
