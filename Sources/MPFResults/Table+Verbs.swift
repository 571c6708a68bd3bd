package import MPFCore
package import MPFSystem

extension Table {
  /// The rows whose columns hold the given values (`{zerocopy = '-Z', parallel = 4}`).
  package func filter(equal conditions: [(String, LuaValue)]) throws -> Table {
    let checks = try conditions.map { (try require($0.0, for: "filter").values, ValueKey($0.1)) }
    return rows((0..<rowCount).filter { row in checks.allSatisfy { ValueKey($0.0[row]) == $0.1 } })
  }

  /// The named columns, in that order.
  package func select(_ names: [String]) throws -> Table {
    var table = self
    table.columns = try names.map { try require($0, for: "select") }
    return table
  }

  /// Rows sorted by the named columns (numbers numerically, then strings; missing last).
  package func sorted(by names: [String], descending: Bool) throws -> Table {
    let keys = try names.map { try require($0, for: "sort").values }
    let order = (0..<rowCount).sorted { a, b in
      for key in keys {
        let (x, y) = (key[a], key[b])
        if ValueKey(x) == ValueKey(y) { continue }
        if x == .nil { return false }
        if y == .nil { return true }
        return Table.less(x, y) != descending
      }
      return a < b
    }
    return rows(order)
  }


  /// One row per group: the group's key columns, then each aggregate.
  ///
  /// - Parameter aggregates: (output column, input column, function name); a function name
  ///   Swift does not know is an error naming the known ones.
  package func aggregate(by names: [String], _ aggregates: [(output: String, input: String, function: String)]) throws -> Table {
    let (keys, members, _) = try groups(by: names)
    var columns = try names.enumerated().map { position, name -> Column in
      var column = try require(name, for: "group_by")
      column.values = ValueColumn(keys.lazy.map { $0[position] })
      return column
    }
    for aggregate in aggregates {
      let input = try require(aggregate.input, for: "agg")
      guard let function = Aggregate(rawValue: aggregate.function) else {
        throw LuaRaise("agg: unknown aggregate '\(aggregate.function)' (aggregates: \(Aggregate.allCases.map(\.rawValue).joined(separator: ", ")), or a function)")
      }
      let values = members.map { rows in function.apply(rows.compactMap { input.values.number(at: $0) }, count: rows.count { !input.values.isMissing($0) }) }
      columns.append(Column(name: aggregate.output, values: values, unit: function.keepsUnit ? input.unit : nil))
    }
    return Table(columns: columns)
  }

  /// Rows of `other` after these; columns by name (a column one side lacks is missing there).
  package func concatenated(with other: Table) -> Table {
    var names = self.names
    for name in other.names where !names.contains(name) { names.append(name) }
    let columns = names.map { name -> Column in
      let mine = column(named: name)
      let theirs = other.column(named: name)
      var column = mine ?? theirs ?? Column(name: name, values: [])
      var values = mine?.values ?? ValueColumn(repeating: .nil, count: rowCount)
      values.append(contentsOf: theirs?.values ?? ValueColumn(repeating: .nil, count: other.rowCount))
      column.values = values
      if mine?.unit != theirs?.unit, mine != nil, theirs != nil { column.unit = nil }
      if let theirLabels = theirs?.labels { column.labels = (column.labels ?? [:]).merging(theirLabels) { a, _ in a } }
      return column
    }
    return Table(columns: columns)
  }

  /// A wide table: one row per value of `index`, one column per value of `columns`, holding
  /// the mean of `values` over the rows that share both.
  package func pivot(index: String, columns pivot: String, values: String) throws -> Table {
    let indexColumn = try require(index, for: "pivot")
    let pivotColumn = try require(pivot, for: "pivot")
    let valueColumn = try require(values, for: "pivot")
    let indexKeys = try groups(by: [index]).keys
    let pivotKeys = try groups(by: [pivot]).keys
    var sums: [[ValueKey]: (Double, Int)] = [:]
    for row in 0..<rowCount {
      guard let value = valueColumn.values[row].doubleValue else { continue }
      let key = [ValueKey(indexColumn.values[row]), ValueKey(pivotColumn.values[row])]
      let (sum, count) = sums[key] ?? (0, 0)
      sums[key] = (sum + value, count + 1)
    }
    var result = [Column(name: index, values: indexKeys.map { $0[0] }, unit: indexColumn.unit, labels: indexColumn.labels, isVariable: indexColumn.isVariable)]
    for pivotKey in pivotKeys.map({ $0[0] }) {
      let name = pivotColumn.labels?[pivotKey] ?? pivotKey.displayString
      let cells = indexKeys.map { indexKey -> LuaValue in
        guard let (sum, count) = sums[[ValueKey(indexKey[0]), ValueKey(pivotKey)]] else { return .nil }
        return .number(sum / Double(count))
      }
      result.append(Column(name: name, values: cells, unit: valueColumn.unit))
    }
    return Table(columns: result)
  }

  /// Numbers before strings, numbers numerically, strings by text, booleans false first.
  static func less(_ a: LuaValue, _ b: LuaValue) -> Bool {
    switch (a.doubleValue, b.doubleValue) {
    case let (x?, y?): return x < y
    case (.some, nil): return true
    case (nil, .some): return false
    default: return a.displayString < b.displayString
    }
  }
}

/// The aggregates `agg` knows by name.
package enum Aggregate: String, CaseIterable, Sendable {
  case mean, median, std, min, max, count, sum, p50, p95, p99, ci95

  /// Whether the result is in the input's unit (count is not).
  var keepsUnit: Bool { self != .count }

  /// `numbers`: the group's numeric values (missing ones left out); `count`: its non-missing values.
  func apply(_ numbers: [Double], count: Int) -> LuaValue {
    if self == .count { return .integer(Int64(count)) }
    guard !numbers.isEmpty else { return .nil }
    let mean = Aggregate.mean(numbers)
    switch self {
    case .mean: return .number(mean)
    case .sum: return .number(numbers.reduce(0, +))
    case .min: return .number(numbers.min() ?? .nan)
    case .max: return .number(numbers.max() ?? .nan)
    case .median, .p50: return .number(Aggregate.percentile(numbers, 50))
    case .p95: return .number(Aggregate.percentile(numbers, 95))
    case .p99: return .number(Aggregate.percentile(numbers, 99))
    case .std:
      guard numbers.count > 1 else { return .number(0) }
      return .number(Aggregate.standardDeviation(numbers, mean: mean))
    case .ci95:
      return Aggregate.confidence95(numbers, mean: mean).map { .number($0) } ?? .nil
    case .count: return .integer(Int64(count))
    }
  }

  /// Half the width of the 95% confidence interval of the mean (Student's t); nil under two
  /// values. The one formula behind `ci95`, the graphs' error bars, the report and compare.
  package static func confidence95(_ numbers: [Double], mean: Double? = nil) -> Double? {
    guard numbers.count > 1 else { return nil }
    let mean = mean ?? Aggregate.mean(numbers)
    return studentT95(degrees: numbers.count - 1) * standardDeviation(numbers, mean: mean) / Double(numbers.count).squareRoot()
  }

  /// The sample standard deviation; exactly 0 for identical values, whose mean rounding can
  /// put an ulp off them (three runs of 11 ms were `11 ± 5.3e-15` ms). Every spread mpf shows
  /// (`std`, `ci95`, the graphs' error bars, the report, compare) comes from here.
  package static func standardDeviation(_ numbers: [Double], mean: Double) -> Double {
    guard let first = numbers.first, numbers.contains(where: { $0 != first }) else { return 0 }
    // Deviations scaled by the largest: their squares cannot overflow (1e200 apart was inf).
    let scale = numbers.reduce(0) { Swift.max($0, abs($1 - mean)) }
    guard scale.isFinite, scale > 0 else { return scale }
    return scale * (numbers.reduce(0) { $0 + (($1 - mean) / scale) * (($1 - mean) / scale) } / Double(numbers.count - 1)).squareRoot()
  }

  /// The mean of finite numbers, finite too: a sum past the largest Double (1e308 and 1e308)
  /// is taken again in parts of the count, so the mean is 1e308, not inf. Every mean mpf shows
  /// of a group of runs (`mean`, `ci95`, compare, the report) comes from here.
  package static func mean(_ numbers: [Double]) -> Double {
    let n = Double(numbers.count)
    let mean = numbers.reduce(0, +) / n
    guard !mean.isFinite, numbers.allSatisfy(\.isFinite) else { return mean }
    return numbers.reduce(0) { $0 + $1 / n }
  }

  /// Linear interpolation between closest ranks (numpy's default).
  package static func percentile(_ numbers: [Double], _ p: Double) -> Double {
    let sorted = numbers.sorted()
    let rank = p / 100 * Double(sorted.count - 1)
    let low = NumberBounds.clampedInt(rank, to: 0...Swift.max(0, sorted.count - 1), rounding: .down, nan: 0)
    let high = Swift.min(low + 1, sorted.count - 1)
    return sorted[low] + (sorted[high] - sorted[low]) * (rank - Double(low))
  }

  /// The two-sided 95% quantile of Student's t distribution.
  package static func studentT95(degrees: Int) -> Double {
    let table: [Double] = [
      12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145, 2.131,
      2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
    ]
    if degrees >= 1 && degrees <= table.count { return table[degrees - 1] }
    if degrees <= 40 { return 2.021 }
    if degrees <= 60 { return 2.000 }
    if degrees <= 120 { return 1.980 }
    return 1.960
  }
}
