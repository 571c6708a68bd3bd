import Testing
import MPFCore
import MPFYAML
import MPFResults
import MPFText

/// Dataframe verbs, with aggregates checked against values worked out by hand.
@Suite struct TableTests {
  /// x = 1, 1, 1, 2, 2 (a variable), t in seconds with one missing value, a string column.
  let table = Table(columns: [
    .init(name: "x", values: [1, 1, 1, 2, 2], isVariable: true),
    .init(name: "t", values: [0.001, 0.002, 0.006, .nil, 0.010], unit: "s"),
    .init(name: "note", values: ["a", "b", "c", "d", "e"]),
  ])

  /// Identical values have no spread, whatever their mean's rounding: 3 × 0.011 / 3 is an ulp
  /// off 0.011, and the std was 2.1e-18 (`11 ± 5.3e-15` ms in mpf compare).
  @Test(arguments: [0.011, 0.7, 0.1, 1e-9, 11])
  func identicalValuesHaveNoSpread(value: Double) {
    let values = [value, value, value]
    let mean = values.reduce(0, +) / 3
    #expect(Aggregate.standardDeviation(values, mean: mean) == 0)
    #expect(Aggregate.confidence95(values) == 0)
    #expect(Aggregate.standardDeviation([value, value * 2], mean: value * 1.5) > 0)
  }

  /// Huge finite values keep a finite mean and spread: the sum of 1e308 and 1e308 overflowed
  /// to inf, and so did the squares of deviations of 1e200.
  @Test func hugeFiniteValuesKeepAFiniteMeanAndSpread() {
    #expect(Aggregate.mean([1e308, 1e308]) == 1e308)
    #expect(Aggregate.mean([1.5e308, 1.5e308, -1e308]) == (1.5e308 / 3) * 2 - 1e308 / 3)
    #expect(Aggregate.mean([1, 2, 6]) == 3)
    #expect(Aggregate.mean([1, .infinity]).isInfinite && Aggregate.mean([1, .nan]).isNaN)
    let spread = Aggregate.standardDeviation([1e200, -1e200], mean: 0)
    #expect(abs(spread / (2.0.squareRoot() * 1e200) - 1) < 1e-12, "\(spread)")
    #expect(abs(Aggregate.standardDeviation([1, 2, 3], mean: 2) - 1) < 1e-15)
    #expect(Aggregate.confidence95([1e308, 1e308, 1e308]) == 0)
    #expect(Aggregate.confidence95([1e300, -1e300])?.isFinite == true)
  }

  @Test func aggregatesMatchHandComputedValues() throws {
    let specs: [(output: String, input: String, function: String)] = [
      ("mean", "t", "mean"), ("median", "t", "median"), ("std", "t", "std"), ("min", "t", "min"), ("max", "t", "max"),
      ("n", "t", "count"), ("sum", "t", "sum"), ("p95", "t", "p95"), ("ci95", "t", "ci95"),
    ]
    let result = try table.aggregate(by: ["x"], specs)
    func value(_ name: String, _ row: Int) -> Double? { result.column(named: name)?.values[row].doubleValue }
    // Group x = 1: 1, 2, 6 ms. Mean 3 ms; sample std sqrt(((-2)² + (-1)² + 3²) / 2) = sqrt(7) ms;
    // ci95 = t(2) 4.303 × sqrt(7) / sqrt(3) ms; p95 between ranks 1 and 2: 2 + 0.9 × 4 = 5.6 ms.
    #expect(result.column(named: "x")?.values == [1, 2])
    #expect(abs(value("mean", 0)! - 0.003) < 1e-12)
    #expect(value("median", 0) == 0.002)
    #expect(abs(value("std", 0)! - 7.0.squareRoot() / 1000) < 1e-12)
    #expect((value("min", 0), value("max", 0)) == (0.001, 0.006))
    #expect(result.column(named: "n")?.values == [3, 1])
    #expect(abs(value("sum", 0)! - 0.009) < 1e-12)
    #expect(abs(value("p95", 0)! - 0.0056) < 1e-12)
    #expect(abs(value("ci95", 0)! - 4.303 * 7.0.squareRoot() / 3.0.squareRoot() / 1000) < 1e-12)
    // Group x = 2: one value (the other is missing, not zero).
    #expect(value("mean", 1) == 0.010)
    #expect(result.column(named: "ci95")?.values[1] == .nil)
    #expect(result.column(named: "mean")?.unit == "s")
    #expect(result.column(named: "n")?.unit == nil)
  }

  @Test func filterSelectSortConcatAndPivot() throws {
    #expect(try table.filter(equal: [("x", .number(2.0))]).column(named: "note")?.values == ["d", "e"])
    #expect(try table.select(["note", "x"]).names == ["note", "x"])
    #expect(try table.sorted(by: ["t"], descending: true).column(named: "note")?.values == ["e", "c", "b", "a", "d"])
    let both = table.concatenated(with: try table.select(["x"]))
    #expect(both.rowCount == 10)
    #expect(both.column(named: "note")?.values.suffix(5).allSatisfy { $0 == .nil } == true)
    let wide = try Table(columns: [
      .init(name: "p", values: [1, 1, 2, 2, 2]), .init(name: "z", values: ["on", "off", "on", "on", "off"]),
      .init(name: "g", values: [10, 20, 30, 50, 40], unit: "bits/s"),
    ]).pivot(index: "p", columns: "z", values: "g")
    #expect(wide.names == ["p", "on", "off"])
    #expect(wide.column(named: "on")?.values == [.number(10), .number(40)])
    #expect(wide.column(named: "off")?.values == [.number(20), .number(40)])
    #expect(throws: LuaRaise.self) { try table.select(["nope"]) }
  }

  @Test func longTablesPrintTheirHeadAndTail() {
    let long = Table(columns: [.init(name: "i", values: (0..<100).map { .integer(Int64($0)) })])
    let lines = long.formatted().split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    #expect(lines.count == 1 + 5 + 1 + 5 + 2)
    #expect(lines[1].trimmed() == "0" && lines[5].trimmed() == "4")
    #expect(lines[6].trimmed() == "...")
    #expect(lines[7].trimmed() == "95" && lines[11].trimmed() == "99")
    #expect(lines.last == "[100 rows x 1 columns]")
  }

  @Test func wideTablesKeepTheirFirstAndLastColumns() {
    let wide = Table(columns: (0..<40).map { .init(name: "column\($0)", values: [.integer(Int64($0))]) })
    let header = wide.formatted(maxWidth: 80).split(separator: "\n").first.map(String.init) ?? ""
    #expect(header.hasPrefix("column0  column1"))
    #expect(header.contains("..."))
    #expect(header.hasSuffix("column39"))
    #expect(header.count <= 80)
    #expect(wide.formatted(maxWidth: 80).hasSuffix("[1 rows x 40 columns]"))
  }
}
