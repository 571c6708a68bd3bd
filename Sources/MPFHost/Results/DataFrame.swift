#if canImport(Glibc)
  internal import Glibc
#endif

/// The results of an experiment: one row per run, the variables as index columns and the
/// returned values as result columns. Rows are sorted by point (in each variable's value
/// order), then by repetition.
public struct DataFrame: Sendable {
  public var variables: [Variable]
  public var rows: [ResultRow]
  /// Result names in order of first appearance.
  public var resultColumns: [String]

  public init(variables: [Variable], rows: [ResultRow]) {
    self.variables = variables
    let positions = variables.map { variable in
      Dictionary(variable.values.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
    }
    let keyed = rows.map { row in (key: zip(positions, row.values).map { $0[$1] ?? Int.max } + [row.repetition, row.index], row: row) }
    self.rows = keyed.sorted { $0.key.lexicographicallyPrecedes($1.key) }.map(\.row)
    var seen: Set<String> = []
    resultColumns = rows.sorted { $0.index < $1.index }.flatMap(\.resultOrder).filter { seen.insert($0).inserted }
  }

  /// The base unit of a result column ("" for plain numbers, nil for non-numeric columns).
  public func unit(of column: String) -> String? {
    var unit: String?
    for row in rows {
      guard let value = row.results[column] else { continue }
      guard let quantity = value.quantity else { return nil }
      if let known = unit, known != quantity.unit { return nil }
      unit = quantity.unit
    }
    return unit
  }

  public var failedCount: Int { rows.filter { $0.status != .ok }.count }

  /// The aligned table `print(df)` shows: labels for variables, SI prefixes for units.
  public func formatted() -> String {
    var header = variables.map(\.name) + ["run"] + resultColumns
    let showStatus = failedCount > 0
    if showStatus { header.append("status") }
    var numeric = variables.map { $0.values.allSatisfy { $0.doubleValue != nil } } + [true]
    numeric += resultColumns.map { unit(of: $0) != nil }
    if showStatus { numeric.append(false) }
    let body = rows.map { row -> [String] in
      var cells = labels(of: row) + [String(row.repetition)]
      cells += resultColumns.map { row.results[$0].map(DataFrame.display) ?? "-" }
      if showStatus { cells.append(row.status.rawValue) }
      return cells
    }
    let widths = header.indices.map { column in ([header[column]] + body.map { $0[column] }).map(\.count).max() ?? 0 }
    func line(_ cells: [String]) -> String {
      cells.indices.map { cells[$0].padded(to: widths[$0], alignRight: numeric[$0]) }.joined(separator: "  ")
        .trimmedRight()
    }
    return ([line(header)] + body.map(line)).joined(separator: "\n")
  }

  /// The labels of a row's variable values.
  func labels(of row: ResultRow) -> [String] {
    zip(variables, row.values).map { $0.label(of: $1) }
  }

  /// A cell as shown in tables: numbers with up to 4 significant digits and an SI prefix.
  static func display(_ value: ResultValue) -> String {
    guard let quantity = value.quantity else { return value.raw.displayString }
    if quantity.unit.isEmpty {
      if case .integer(let i) = value.raw { return String(i) }
      return formatNumber(quantity.value)
    }
    return formatWithPrefix(quantity.value, unit: quantity.unit)
  }

  static func formatWithPrefix(_ value: Double, unit: String) -> String {
    let prefixes: [(Double, String)] = [(1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k"), (1, ""), (1e-3, "m"), (1e-6, "µ"), (1e-9, "n")]
    let magnitude = abs(value)
    guard magnitude > 0, unit != "%" else { return "\(formatNumber(value)) \(unit)" }
    let (factor, prefix) = prefixes.first { magnitude >= $0.0 * 0.9995 } ?? (1e-9, "n")
    return "\(formatNumber(value / factor)) \(prefix)\(unit)"
  }

  /// Up to `digits` significant digits, without a trailing ".0".
  static func formatNumber(_ value: Double, digits: Int = 4) -> String {
    guard value.isFinite, value != 0 else { return value == 0 ? "0" : LuaValue.format(value) }
    let exponent = Int(floor(log10(abs(value))))
    let scale = pow(10.0, Double(digits - 1 - exponent))
    let rounded = (value * scale).rounded() / scale
    if rounded == rounded.rounded(), abs(rounded) < 1e15 { return String(Int64(rounded)) }
    return "\(rounded)"
  }
}

extension String {
  fileprivate func trimmedRight() -> String {
    var s = Substring(self)
    while s.last == " " { s.removeLast() }
    return String(s)
  }
}
