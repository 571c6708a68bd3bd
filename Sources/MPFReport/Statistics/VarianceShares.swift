internal import MPFCore
package import MPFResults
import MPFSystem

/// How much of a result's variation each variable explains: its share of the variance (η², the
/// one-way effect size: the variance of the means per value over the total), and, when points
/// ran more than once, the F test of its main effect against the variation between the
/// repetitions of a point (on a full factorial with as many runs per point, ANOVA's main effect).
package struct VarianceShare: Sendable, Equatable {
  package var variable: String
  /// Between 0 (the variable explains nothing) and 1 (everything).
  package var etaSquared: Double
  /// How many of its values the runs took.
  package var levels: Int
  /// F and its p-value; nil when no point ran twice or the repetitions never differ.
  package var f: Double?
  package var p: Double?
}

package enum VarianceShares {
  /// Above this many values a variable is not ranked (each value has a run or two: its share
  /// says nothing), and above this many points there is no F test.
  static let maximumGroups = 1000

  /// The variables ranked by their share of `result`'s variance, largest first; the runs that
  /// ended ok with a finite value only. Empty under two such runs or when they all agree; a
  /// variable of more than `maximumGroups` values is left out. Groups are the table's own
  /// (`Table.grouping`: values matched as every table matches them, a code per row).
  package static func rank(_ table: Table, result: String) -> [VarianceShare] {
    guard let column = table.column(named: result) else { return [] }
    let status = table.column(named: "status")
    let rows = RowSelection((0..<table.rowCount).lazy.filter { row in
      (status.map { $0.values[row] == .string("ok") } ?? true) && (column.values.number(at: row)?.isFinite ?? false)
    })
    guard rows.count > 1 else { return [] }
    let variables = table.columns.filter(\.isVariable)
    // The variables of few enough values, found before the results are read (a sweep of
    // 100 000 values has none: no copy of its 100 000 results is made for nothing).
    let ranked = variables.filter { Table.distinctCount($0.values, rows, upTo: maximumGroups) <= maximumGroups }
    guard !ranked.isEmpty else { return [] }
    let y = rows.map { column.values.number(at: $0) ?? 0 }
    let mean = y.reduce(0, +) / Double(y.count)
    let total = y.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
    guard total > 0 else { return [] }
    // The variation within points, grouped once a variable is ranked at all (a variable of
    // 100 000 values is not: no grouping of every variable is made for it).
    var error: (sum: Double, degrees: Int)??
    return ranked.compactMap { variable -> VarianceShare? in
      let groups = Table.grouping([variable], rows)
      guard groups.count <= maximumGroups else { return nil }
      if error == nil { error = withinPoints(y, variables.count == 1 ? groups : Table.grouping(variables, rows)) }
      let between = squaresAroundGroupMeans(y, groups).between(mean: mean)
      var share = VarianceShare(variable: variable.name, etaSquared: between / total, levels: groups.count)
      if let error = error ?? nil, groups.count > 1 {
        let f = (between / Double(groups.count - 1)) / (error.sum / Double(error.degrees))
        share.f = f
        share.p = FDistribution.upperTail(f, numerator: groups.count - 1, denominator: error.degrees)
      }
      return share
    }.sorted { $0.etaSquared > $1.etaSquared }
  }

  /// Each group's mean and size, and Σ (y − its group's mean)².
  static func squaresAroundGroupMeans(_ y: [Double], _ groups: Table.Grouping) -> GroupSums {
    var sums = [Double](repeating: 0, count: groups.count), counts = [Int](repeating: 0, count: groups.count)
    for (value, code) in zip(y, groups.code.lazy.map(Int.init)) { sums[code] += value; counts[code] += 1 }
    let means = zip(sums, counts).map { $0 / Double(max($1, 1)) }
    let within = zip(y, groups.code.lazy.map(Int.init)).reduce(0) { $0 + ($1.0 - means[$1.1]) * ($1.0 - means[$1.1]) }
    return GroupSums(means: means, counts: counts, within: within)
  }

  struct GroupSums {
    var means: [Double], counts: [Int], within: Double

    /// Σ n·(group mean − mean)²: the part of the variation the groups explain.
    func between(mean: Double) -> Double {
      zip(means, counts).reduce(0) { $0 + Double($1.1) * ($1.0 - mean) * ($1.0 - mean) }
    }
  }

  /// The variation between repetitions of a point and its degrees of freedom (runs − points);
  /// nil when no point has two runs, they never differ, or there are more than `maximumGroups`
  /// points.
  static func withinPoints(_ y: [Double], _ points: Table.Grouping) -> (sum: Double, degrees: Int)? {
    let degrees = y.count - points.count
    guard points.count <= maximumGroups, degrees > 0 else { return nil }
    let sum = squaresAroundGroupMeans(y, points).within
    return sum > 0 ? (sum, degrees) : nil
  }
}
