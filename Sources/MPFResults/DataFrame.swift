package import MPFCore
package import MPFText

/// The results of an experiment: one row per run, the variables as index columns and the
/// returned values as result columns. Rows are sorted by point (in each variable's value
/// order), then by repetition.
package struct DataFrame: Sendable {
  package var variables: [Variable]
  package var rows: RunRecords
  /// Result names in order of first appearance.
  package var resultColumns: [String]
  /// The experiment's directory and id, when the dataframe is one experiment's.
  package var directory: String?
  package var id: String?
  /// Why the experiment stopped before its last run (`on_error = 'stop'`), nil when it did not.
  package var stopped: String?
  /// The experiment's name (its script's file name without `.lua`).
  package var name: String?

  package init(variables: [Variable], rows: [ResultRow]) { self.init(variables: variables, rows: RunRecords(rows)) }

  /// - Parameter sorting: false for rows already in the order wanted (one row: `on_run`'s),
  ///   which skips looking up every variable's values.
  package init(variables: [Variable], rows: RunRecords, sorting: Bool = true) {
    self.variables = variables
    guard sorting else {
      self.rows = rows
      resultColumns = rows.resultOrder
      return
    }
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
    // Each variable's column as positions in its list of values (a value it does not list: -1).
    let columns = variables.indices.map { position -> [Int] in
      let column = rows.variable(position)
      let lookup = positions[position]
      if let (strings, codes) = column.stringCodes {
        let known = strings.map { lookup[.string($0)] ?? -1 }
        return codes.map { $0 < 0 ? (lookup[.nil] ?? -1) : known[Int($0)] }
      }
      return column.map { lookup[$0] ?? -1 }
    }
    let order: [Int]
    if fits {
      let keys = rows.indices.map { row -> (Int, Int, Int) in
        var point = 0
        for position in columns.indices {
          let found = columns[position][row]
          point = point * radices[position] + (found < 0 ? radices[position] - 1 : found)
        }
        return (point, rows.repetition(at: row), rows.index(at: row))
      }
      order = rows.indices.sorted { keys[$0] < keys[$1] }
    } else {
      let keys = rows.indices.map { row in columns.map { $0[row] < 0 ? Int.max : $0[row] } + [rows.repetition(at: row), rows.index(at: row)] }
      order = rows.indices.sorted { keys[$0].lexicographicallyPrecedes(keys[$1]) }
    }
    self.rows = order.elementsEqual(rows.indices) ? rows : rows.gathering(order)
    resultColumns = rows.resultOrder
  }

  /// The base unit of a result column ("" for plain numbers, nil for non-numeric columns).
  package func unit(of column: String) -> String? {
    guard let values = rows.result(named: column) else { return nil }
    if let (strings, codes) = values.stringCodes {
      // Each distinct string once.
      var units: Set<String> = []
      var used = Array(repeating: false, count: strings.count)
      for code in codes where code >= 0 { used[Int(code)] = true }
      for (string, isUsed) in zip(strings, used) where isUsed {
        guard let quantity = ResultValue(raw: .string(string)).quantity else { return nil }
        units.insert(quantity.unit)
      }
      return units.count == 1 ? units.first : nil
    }
    var unit: String?
    for position in values.indices where !values.isMissing(position) {
      guard let quantity = ResultValue(raw: values[position]).quantity else { return nil }
      if let known = unit, known != quantity.unit { return nil }
      unit = quantity.unit
    }
    return unit
  }

  package var failedCount: Int { rows.failedCount }

  /// A result as tables show it (`Table.display`, with the result's own unit).
  package static func display(_ value: ResultValue) -> String {
    let unit = value.quantity.flatMap { $0.unit.isEmpty ? nil : $0.unit }
    return Table.display(value.luaValue, in: Table.Column(name: "", values: [], unit: unit))
  }

  package static func formatWithPrefix(_ value: Double, unit: String, digits: Int = 4) -> String {
    let magnitude = abs(value)
    guard value.isFinite, magnitude > 0, unit != "%" else { return "\(NumberText.formatNumber(value, digits: digits)) \(unit)" }
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

