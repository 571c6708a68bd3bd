#if canImport(Glibc)
  internal import Glibc
#endif
package import MPFCore

/// The results of an experiment: one row per run, the variables as index columns and the
/// returned values as result columns. Rows are sorted by point (in each variable's value
/// order), then by repetition.
package struct DataFrame: Sendable {
  package var variables: [Variable]
  package var rows: [ResultRow]
  /// Result names in order of first appearance.
  package var resultColumns: [String]
  /// The experiment's directory and id, when the dataframe is one experiment's.
  package var directory: String?
  package var id: String?
  /// Why the experiment stopped before its last run (`on_error = 'stop'`), nil when it did not.
  package var stopped: String?
  /// The experiment's name (its script's file name without `.lua`).
  package var name: String?

  package init(variables: [Variable], rows: [ResultRow]) {
    self.variables = variables
    let positions = variables.map { variable in
      Dictionary(variable.values.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
    }
    // Each row's point as one number (its values' positions in mixed radix, a value no
    // variable lists last), then repetition, then index: tuples sort without allocating.
    let radices = variables.map { $0.values.count + 1 }
    let fits = radices.reduce(into: (product: 1, ok: true)) { state, radix in
      let (next, overflow) = state.product.multipliedReportingOverflow(by: radix)
      state = (next, state.ok && !overflow)
    }.ok
    if fits {
      let keys = rows.map { row -> (Int, Int, Int) in
        var point = 0
        for (position, (lookup, value)) in zip(positions, row.values).enumerated() {
          point = point * radices[position] + (lookup[value] ?? radices[position] - 1)
        }
        return (point, row.repetition, row.index)
      }
      self.rows = rows.indices.sorted { keys[$0] < keys[$1] }.map { rows[$0] }
    } else {
      let keyed = rows.map { row in (key: zip(positions, row.values).map { $0[$1] ?? Int.max } + [row.repetition, row.index], row: row) }
      self.rows = keyed.sorted { $0.key.lexicographicallyPrecedes($1.key) }.map(\.row)
    }
    var seen: Set<String> = []
    resultColumns = rows.sorted { $0.index < $1.index }.flatMap(\.resultOrder).filter { seen.insert($0).inserted }
  }

  /// The base unit of a result column ("" for plain numbers, nil for non-numeric columns).
  package func unit(of column: String) -> String? {
    var unit: String?
    for row in rows {
      guard let value = row.results[column] else { continue }
      guard let quantity = value.quantity else { return nil }
      if let known = unit, known != quantity.unit { return nil }
      unit = quantity.unit
    }
    return unit
  }

  package var failedCount: Int { rows.filter { $0.status != .ok }.count }

  /// A result as tables show it (`Table.display`, with the result's own unit).
  package static func display(_ value: ResultValue) -> String {
    let unit = value.quantity.flatMap { $0.unit.isEmpty ? nil : $0.unit }
    return Table.display(value.luaValue, in: Table.Column(name: "", values: [], unit: unit))
  }

  package static func formatWithPrefix(_ value: Double, unit: String, digits: Int = 4) -> String {
    let magnitude = abs(value)
    guard magnitude > 0, unit != "%" else { return "\(NumberText.formatNumber(value, digits: digits)) \(unit)" }
    if unit == "bytes" || unit == "bytes/s" {
      // Binary prefixes for bytes: 8192 bytes is 8 KiB, not 8.192 kbytes.
      let binary: [(Double, String)] = [(1_099_511_627_776, "Ti"), (1_073_741_824, "Gi"), (1_048_576, "Mi"), (1024, "Ki")]
      guard let (factor, prefix) = binary.first(where: { magnitude >= $0.0 }) else {
        return "\(NumberText.formatNumber(value, digits: digits)) \(unit)"
      }
      return "\(NumberText.formatNumber(value / factor, digits: digits)) \(prefix)B\(unit == "bytes/s" ? "/s" : "")"
    }
    let prefixes: [(Double, String)] = [(1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k"), (1, ""), (1e-3, "m"), (1e-6, "µ"), (1e-9, "n")]
    let (factor, prefix) = prefixes.first { magnitude >= $0.0 * 0.9995 } ?? (1e-9, "n")
    let scaled = factor < 1 ? value * (1 / factor).rounded() : value / factor
    return "\(NumberText.formatNumber(scaled, digits: digits)) \(prefix)\(unit)"
  }


}

