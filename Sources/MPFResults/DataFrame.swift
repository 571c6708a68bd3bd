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
    let order = DataFrame.pointOrder(variables, rows)
    self.rows = order.elementsEqual(rows.indices) ? rows : rows.gathering(order)
    resultColumns = rows.resultOrder
  }

  /// `DataFrame(variables:rows:).table` (sorted by point) made from `rows` as they are and only
  /// then gathered into point order: the columns a table has, not every column of the runs
  /// (their starts, durations, indices: 2 MB at 100 000 runs, made to be thrown away).
  /// A variable whose runs in point order are its list of values exactly (a sweep run once at
  /// each value) is that list, shared rather than gathered (0.8 MB at 100 000 values).
  package static func sortedTable(variables: [Variable], rows: RunRecords) -> Table {
    let order = pointOrder(variables, rows)
    var table = DataFrame(variables: variables, rows: rows, sorting: false).table
    guard !order.elementsEqual(rows.indices) else { return table }
    for c in table.columns.indices {
      let values = table.columns[c].values
      let isList = c < variables.count && table.columns[c].isVariable && readsAs(values, at: order, variables[c].values)
      table.columns[c].values = isList ? variables[c].values : values.gathering(order)
    }
    return table
  }

  /// Whether `column` read at `positions` is `list`, value for value: integers only (compared
  /// exactly, where other values match as keys: 0.0 and -0.0), none missing.
  package static func readsAs(_ column: ValueColumn, at positions: [Int], _ list: ValueColumn) -> Bool {
    guard column.holdsIntegersOnly, list.holdsIntegersOnly, positions.count == list.count else { return false }
    for (k, position) in positions.enumerated() {
      guard let value = column.integer(at: position), value == list.integer(at: k) else { return false }
    }
    return true
  }

  /// The positions of `rows` in point order: by point (each variable's values in their list's
  /// order), then repetition, then index.
  static func pointOrder(_ variables: [Variable], _ rows: RunRecords) -> [Int] {
    // Each row's point as one number (its values' positions in mixed radix, a value no
    // variable lists last), then repetition, then index.
    let radices = variables.map { $0.values.count + 1 }
    let fits = radices.reduce(into: (product: 1, ok: true)) { state, radix in
      let (next, overflow) = state.product.multipliedReportingOverflow(by: radix)
      state = (next, state.ok && !overflow)
    }.ok
    // Each variable's column as positions in its list of values (a value it does not list: -1).
    let columns = variables.indices.map { DataFrame.positions(of: rows.variable($0), in: variables[$0].values) }
    func key(_ row: Int, _ position: Int) -> Int { columns[position][row] < 0 ? Int.max : Int(columns[position][row]) }
    let order: [Int]
    if fits {
      let points = rows.indices.map { row -> Int in
        var point = 0
        for position in columns.indices {
          let found = Int(columns[position][row])
          point = point * radices[position] + (found < 0 ? radices[position] - 1 : found)
        }
        return point
      }
      order = rows.indices.sorted {
        (points[$0], rows.repetition(at: $0), rows.index(at: $0)) < (points[$1], rows.repetition(at: $1), rows.index(at: $1))
      }
    } else {
      let keys = rows.indices.map { row in columns.indices.map { key(row, $0) } + [rows.repetition(at: row), rows.index(at: row)] }
      order = rows.indices.sorted { keys[$0].lexicographicallyPrecedes(keys[$1]) }
    }
    return order
  }

  /// Each row's position in `values` (of the first value equal to it), -1 for a value the list
  /// does not hold: through a table indexed by value when the list is integers over a span not
  /// much wider than it (`mpf.range`), else a dictionary (strings looked up once each).
  static func positions(of column: ValueColumn, in values: ValueColumn) -> [Int32] {
    if column.holdsIntegersOnly, let (low, table) = integerPositions(values) {
      return column.indices.map { row in
        guard let value = column.integer(at: row), value >= low, value - low < table.count else { return -1 }
        return table[Int(value - low)]
      }
    }
    var lookup: [LuaValue: Int32] = [:]
    lookup.reserveCapacity(values.count)
    for (position, value) in values.enumerated() where lookup[value] == nil { lookup[value] = Int32(position) }
    if let (strings, codes) = column.stringCodes {
      let known = strings.map { lookup[.string($0)] ?? -1 }
      return codes.map { $0 < 0 ? (lookup[.nil] ?? -1) : known[Int($0)] }
    }
    return column.map { lookup[$0] ?? -1 }
  }

  /// For a list of integers only, over a span at most 4 times its length (plus 1024): the
  /// smallest, and each value's first position by value from there (-1 where none).
  static func integerPositions(_ values: ValueColumn) -> (low: Int64, table: [Int32])? {
    var (low, high) = (Int64.max, Int64.min)
    for value in values {
      guard case .integer(let integer) = value else { return nil }
      (low, high) = (min(low, integer), max(high, integer))
    }
    let (span, overflow) = high.subtractingReportingOverflow(low)
    guard !values.isEmpty, !overflow, span < Int64(4 * values.count + 1024) else { return nil }
    var table = [Int32](repeating: -1, count: Int(span) + 1)
    for (position, value) in values.enumerated() {
      guard case .integer(let integer) = value, table[Int(integer - low)] < 0 else { continue }
      table[Int(integer - low)] = Int32(position)
    }
    return (low, table)
  }

  /// The base unit of a result column ("" for plain numbers, nil for non-numeric columns and
  /// for columns in several units).
  package func unit(of column: String) -> String? {
    guard let units = units(of: column), units.count == 1 else { return nil }
    return units.first
  }

  /// The base units a result column's values are in ("" for plain numbers; several when its
  /// runs said different ones), nil for a non-numeric column.
  package func units(of column: String) -> Set<String>? {
    guard let values = rows.result(named: column) else { return nil }
    var units: Set<String> = []
    if let (strings, codes) = values.stringCodes {
      // Each distinct string once.
      var used = Array(repeating: false, count: strings.count)
      for code in codes where code >= 0 { used[Int(code)] = true }
      for (string, isUsed) in zip(strings, used) where isUsed {
        guard let quantity = ResultValue(raw: .string(string)).quantity else { return nil }
        units.insert(quantity.unit)
      }
      return units
    }
    for position in values.indices where !values.isMissing(position) {
      guard let quantity = ResultValue(raw: values[position]).quantity else { return nil }
      units.insert(quantity.unit)
    }
    return units
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

