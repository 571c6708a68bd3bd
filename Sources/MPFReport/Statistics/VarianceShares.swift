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
  /// says nothing), and above this many points there is no F test; the sums stay small.
  static let maximumGroups = 1000

  /// The variables ranked by their share of `result`'s variance, largest first; the runs that
  /// ended ok with a finite value only. Empty under two such runs or when they all agree; a
  /// variable of more than `maximumGroups` values is left out.
  package static func rank(_ table: Table, result: String) -> [VarianceShare] {
    guard let column = table.column(named: result) else { return [] }
    let status = table.column(named: "status")
    let rows = (0..<table.rowCount).filter { row in
      (status.map { $0.values[row] == .string("ok") } ?? true) && (column.values.number(at: row)?.isFinite ?? false)
    }
    guard rows.count > 1 else { return [] }
    let y = rows.map { column.values.number(at: $0) ?? 0 }
    let mean = y.reduce(0, +) / Double(y.count)
    let total = y.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
    guard total > 0 else { return [] }
    let variables = table.columns.filter(\.isVariable)
    let error = withinPoints(y, rows: rows, variables: variables)
    return variables.compactMap { variable -> VarianceShare? in
      guard let between = betweenGroups(y, rows: rows, column: variable, mean: mean) else { return nil }
      var share = VarianceShare(variable: variable.name, etaSquared: between.sum / total, levels: between.groups)
      if let error, between.groups > 1 {
        let f = (between.sum / Double(between.groups - 1)) / (error.sum / Double(error.degrees))
        share.f = f
        share.p = FDistribution.upperTail(f, numerator: between.groups - 1, denominator: error.degrees)
      }
      return share
    }.sorted { $0.etaSquared > $1.etaSquared }
  }

  /// Σ n·(group mean − mean)² over the groups of equal value in `column`, and how many groups;
  /// nil beyond `maximumGroups`.
  static func betweenGroups(_ y: [Double], rows: [Int], column: Table.Column, mean: Double) -> (sum: Double, groups: Int)? {
    var sums: [LuaValue: (sum: Double, count: Int)] = [:]
    for (value, row) in zip(y, rows) {
      let key = column.values[row]
      if sums[key] == nil, sums.count == maximumGroups { return nil }
      sums[key, default: (0, 0)].sum += value
      sums[key, default: (0, 0)].count += 1
    }
    let sum = sums.values.reduce(0) { total, group in
      let groupMean = group.sum / Double(group.count)
      return total + Double(group.count) * (groupMean - mean) * (groupMean - mean)
    }
    return (sum, sums.count)
  }

  /// Σ (y − its point's mean)² and its degrees of freedom (runs − points); nil when no point
  /// has two runs, they never differ, or there are more than `maximumGroups` points. Two passes
  /// of running sums (Σy and Σy² per point would lose digits).
  static func withinPoints(_ y: [Double], rows: [Int], variables: [Table.Column]) -> (sum: Double, degrees: Int)? {
    var points: [[LuaValue]: (sum: Double, count: Int)] = [:]
    var keys: [Int] = []
    var index: [[LuaValue]: Int] = [:]
    for (value, row) in zip(y, rows) {
      let key = variables.map { $0.values[row] }
      if points[key] == nil {
        guard points.count < maximumGroups else { return nil }
        index[key] = index.count
      }
      points[key, default: (0, 0)].sum += value
      points[key, default: (0, 0)].count += 1
      keys.append(index[key] ?? 0)
    }
    let degrees = y.count - points.count
    guard degrees > 0 else { return nil }
    var means = [Double](repeating: 0, count: index.count)
    for (key, position) in index { if let point = points[key] { means[position] = point.sum / Double(point.count) } }
    let sum = zip(y, keys).reduce(0) { $0 + ($1.0 - means[$1.1]) * ($1.0 - means[$1.1]) }
    return sum > 0 ? (sum, degrees) : nil
  }
}
