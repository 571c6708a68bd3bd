import Testing
import MPFCore
import MPFResults
import MPFReport

/// The report's ranking of variables by the share of a result's variance they explain.
@Suite struct VarianceSharesTests {
  /// A 2 × 2 full factorial, 3 runs per point: `y` from `rows(a, b)`, a little noise per repetition.
  func table(_ y: (Int, Int, Int) -> Double, failedRow: Int? = nil) -> Table {
    var a: [LuaValue] = [], b: [LuaValue] = [], values: [LuaValue] = [], status: [LuaValue] = []
    for i in 1...2 { for j in 1...2 { for r in 0..<3 {
      a.append(.integer(Int64(i))); b.append(.integer(Int64(j))); values.append(.number(y(i, j, r)))
      status.append(.string(failedRow == values.count - 1 ? "failed" : "ok"))
    } } }
    return Table(columns: [
      Table.Column(name: "a", values: a, isVariable: true), Table.Column(name: "b", values: b, isVariable: true),
      Table.Column(name: "y", values: values), Table.Column(name: "status", values: status),
    ])
  }

  @Test func aVariableThatMakesTheResultExplainsAllOfIt() throws {
    // y = 10·a, plus ±0.01 over the repetitions: a explains almost all, b nothing.
    let shares = VarianceShares.rank(table { a, _, r in Double(10 * a) + [0, 0.01, -0.01][r] }, result: "y")
    #expect(shares.map(\.variable) == ["a", "b"])
    #expect(shares[0].etaSquared > 0.9999 && shares[0].etaSquared <= 1)
    #expect(shares[1].etaSquared < 1e-9)
    // Hand computed: SS_a = 12·25 = 300, within = 4·(2·0.0001) = 0.0008 on 8 degrees: F = 300 / 0.0001.
    let f = try #require(shares[0].f)
    #expect(abs(f - 3_000_000) / 3_000_000 < 1e-6)
    #expect(try #require(shares[0].p) < 1e-12)
    #expect(try #require(shares[1].p) > 0.99)
  }

  @Test func noVariableExplainsNoiseAlone() throws {
    // The same 3 values at every point: nothing between points, everything within.
    let shares = VarianceShares.rank(table { _, _, r in [1, 2, 3][r] }, result: "y")
    #expect(shares.allSatisfy { $0.etaSquared < 1e-12 && ($0.p ?? 0) > 0.99 }, "\(shares)")
  }

  @Test func failedRunsAndConstantResultsAreLeftOut() {
    #expect(VarianceShares.rank(table { _, _, _ in 5 }, result: "y").isEmpty)
    #expect(VarianceShares.rank(table { a, _, _ in Double(a) }, result: "nothing").isEmpty)
    // No variable: every run is the same point, nothing to rank.
    #expect(VarianceShares.rank(Table(columns: [Table.Column(name: "y", values: [.number(1), .number(2)])]), result: "y").isEmpty)
    // A failed run's value would have made b matter.
    let shares = VarianceShares.rank(table({ a, b, r in r == 2 && a == 1 && b == 1 ? 1000 : Double(a) }, failedRow: 2), result: "y")
    #expect(shares.first?.variable == "a" && shares.first?.etaSquared ?? 0 > 0.999, "\(shares)")
  }

  /// A sweep of thousands of values (a run or two each) is not ranked, and its points give no
  /// F test: the sums would take memory for nothing a reader could use.
  @Test func aVariableOfThousandsOfValuesIsLeftOut() {
    let n = 3000
    let table = Table(columns: [
      Table.Column(name: "i", values: (0..<n).map { .integer(Int64($0)) }, isVariable: true),
      Table.Column(name: "mode", values: (0..<n).map { .string($0 % 2 == 0 ? "a" : "b") }, isVariable: true),
      Table.Column(name: "y", values: (0..<n).map { .number(Double($0 % 2) * 10 + Double($0 % 7)) }),
    ])
    let shares = VarianceShares.rank(table, result: "y")
    #expect(shares.map(\.variable) == ["mode"], "\(shares)")
    #expect(shares.first?.f == nil, "3000 points are more than the F test's limit")
  }

  /// Against closed forms: with 2 numerator degrees, P(F ≥ f) = (1 + 2f/d)^(-d/2); with 1, F is t².
  @Test func fTailsMatchClosedForms() {
    for (f, d) in [(4.0, 10), (0.5, 3), (12.0, 40)] {
      let exact = 1 / pow1(1 + 2 * f / Double(d), Double(d) / 2)
      #expect(abs(FDistribution.upperTail(f, numerator: 2, denominator: d) - exact) < 1e-10, "F(2, \(d)) at \(f)")
    }
    // t(10) = 2.228 is the two-sided 5% point.
    #expect(abs(FDistribution.upperTail(2.228 * 2.228, numerator: 1, denominator: 10) - 0.05) < 2e-4)
    #expect(FDistribution.upperTail(.nan, numerator: 1, denominator: 1) == 1)
    #expect(FDistribution.upperTail(.infinity, numerator: 1, denominator: 1) == 0)
  }

  func pow1(_ x: Double, _ y: Double) -> Double {
    // x^y for x > 0 without libm: exp(y·ln x) by the standard library's own means.
    var result = 1.0
    var exponent = y
    while exponent >= 1 { result *= x; exponent -= 1 }
    if exponent > 0 { result *= x.squareRoot() }  // y is n/2 here
    return result
  }
}
