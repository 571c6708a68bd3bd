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
  /// The variables ranked by their share of `result`'s variance, largest first; the runs that
  /// ended ok with a finite value only. Empty under two such runs or when they all agree.
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
    let error = withinPoints(y, keys: rows.map { row in variables.map { $0.values[row] } })
    return variables.map { variable in
      let between = betweenGroups(y, keys: rows.map { variable.values[$0] }, mean: mean)
      var share = VarianceShare(variable: variable.name, etaSquared: between.sum / total, levels: between.groups)
      if let error, between.groups > 1 {
        let f = (between.sum / Double(between.groups - 1)) / (error.sum / Double(error.degrees))
        share.f = f
        share.p = FDistribution.upperTail(f, numerator: between.groups - 1, denominator: error.degrees)
      }
      return share
    }.sorted { $0.etaSquared > $1.etaSquared }
  }

  /// Σ n·(group mean − mean)² over the groups of equal key, and how many groups.
  static func betweenGroups(_ y: [Double], keys: [LuaValue], mean: Double) -> (sum: Double, groups: Int) {
    var sums: [LuaValue: (sum: Double, count: Int)] = [:]
    for (value, key) in zip(y, keys) { sums[key, default: (0, 0)].sum += value; sums[key, default: (0, 0)].count += 1 }
    let sum = sums.values.reduce(0) { total, group in
      let groupMean = group.sum / Double(group.count)
      return total + Double(group.count) * (groupMean - mean) * (groupMean - mean)
    }
    return (sum, sums.count)
  }

  /// Σ (y − its point's mean)² and its degrees of freedom (runs − points); nil when no point
  /// has two runs or they never differ.
  static func withinPoints(_ y: [Double], keys: [[LuaValue]]) -> (sum: Double, degrees: Int)? {
    var points: [[LuaValue]: [Double]] = [:]
    for (value, key) in zip(y, keys) { points[key, default: []].append(value) }
    let degrees = y.count - points.count
    guard degrees > 0 else { return nil }
    let sum = points.values.reduce(0) { total, values in
      let mean = values.reduce(0, +) / Double(values.count)
      return total + values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
    }
    return sum > 0 ? (sum, degrees) : nil
  }
}
