internal import MPFCore
package import MPFResults
internal import MPFGraphs
import MPFText

/// The runs embedded in report.html for its explorer, as JSON in a
/// `<script type="application/json">` block (data, never run): one entry per column, by column.
/// A variable is its distinct values (`levels`: value and label) and each run's index among them
/// (`codes`, -1 where it does not apply); a result is its numbers (`null` where missing or not
/// finite) and its unit; the status is levels and codes too. A variable of many numbers and no
/// labels of its own (a sweep of 100,000 sizes) is its numbers, as a result is. Written column
/// by column, so that the text of 100,000 runs is never whole in memory.
package enum ReportData {
  /// Above this many distinct values, a numeric variable without labels is written as numbers.
  static let levelsKept = 1000

  /// Writes the JSON of `table`'s variables, its numeric `results` and the status to `emit`.
  package static func write(_ table: Table, results: [String], _ emit: (String) throws -> Void) rethrows {
    try emit("{\"rows\":\(table.rowCount),\"columns\":[\n")
    var first = true
    // A separator before each column but the first; each column goes out in pieces as it is made.
    func comma() throws {
      if !first { try emit(",\n") }
      first = false
    }
    for column in table.columns where column.isVariable {
      try comma()
      try coded(column, role: "variable", emit)
    }
    for name in results {
      guard let column = table.column(named: name) else { continue }
      try comma()
      try numbers(column, role: "result", emit)
    }
    if let status = table.column(named: "status") {
      try comma()
      try coded(status, role: "status", emit)
    }
    try emit("\n]}")
  }

  /// The whole JSON text (tests).
  package static func json(_ table: Table) -> String {
    var text = ""
    write(table, results: FigureBuilder.numericResults(of: table)) { text += $0 }
    return text
  }

  /// A column of few distinct values: its levels (in the order of first appearance, numbers
  /// sorted when all are numbers; values matched as every table matches them,
  /// `Table.distinct`) and each row's level. A variable of more than `levelsKept` numbers and no
  /// labels is written as its numbers instead.
  static func coded(_ column: Table.Column, role: String, _ emit: (String) throws -> Void) rethrows {
    if role == "variable", column.labels == nil, manyNumbers(column.values) { return try numbers(column, role: role, emit) }
    let (values, code) = Table.distinct(column.values, RowSelection(0..<column.values.count))
    var order = values.indices.filter { values[$0] != .nil }
    let numeric = order.allSatisfy { values[$0].doubleValue != nil }
    if role == "variable", numeric, column.labels == nil, order.count > levelsKept { return try numbers(column, role: role, emit) }
    if numeric { order.sort { (values[$0].doubleValue ?? 0) < (values[$1].doubleValue ?? 0) } }
    var level = [Int](repeating: -1, count: values.count)
    for (position, index) in order.enumerated() { level[index] = position }
    let levelText = order.map { index in
      "{\"v\":\(scalar(values[index])),\"l\":\(JSONText.string(column.labels?[values[index]] ?? values[index].displayString))}"
    }
    try emit("{\"name\":\(JSONText.string(column.name)),\"role\":\"\(role)\",\"levels\":[\(levelText.joined(separator: ","))],\"codes\":[")
    try list(code.count, { String(level[Int(code[$0])]) }, emit)
    try emit("]}")
  }

  /// Whether `values` holds numbers (and nils) only, more than `levelsKept` of them distinct,
  /// as its first rows already show (a sweep of 100 000 sizes): what `coded` writes as numbers,
  /// found without coding every row.
  static func manyNumbers(_ values: ValueColumn) -> Bool {
    let rows = RowSelection(0..<min(values.count, 4 * levelsKept))
    // Nil counts as one distinct value: more than levelsKept + 1 are more than levelsKept numbers.
    guard Table.distinctCount(values, rows, upTo: levelsKept + 1) > levelsKept + 1 else { return false }
    return values.allSatisfy { $0 == .nil || $0.doubleValue != nil }
  }

  /// `count` items separated by commas, to `emit` in pieces of about 64 KiB.
  static func list(_ count: Int, _ item: (Int) -> String, _ emit: (String) throws -> Void) rethrows {
    var piece = ""
    piece.reserveCapacity(65_536 + 64)
    for position in 0..<count {
      if position > 0 { piece += "," }
      piece += item(position)
      if piece.utf8.count >= 65_536 {
        try emit(piece)
        piece.removeAll(keepingCapacity: true)
      }
    }
    if !piece.isEmpty { try emit(piece) }
  }

  /// A column of numbers (a result, with its unit; a variable of many numbers).
  static func numbers(_ column: Table.Column, role: String, _ emit: (String) throws -> Void) rethrows {
    let unit = column.unit.map(JSONText.string) ?? "null"
    try emit("{\"name\":\(JSONText.string(column.name)),\"role\":\"\(role)\",\"unit\":\(unit),\"values\":[")
    let values = column.values
    try list(values.count, { number(values.number(at: $0)) }, emit)
    try emit("]}")
  }

  static func scalar(_ value: LuaValue) -> String {
    if case .string(let text) = value { return JSONText.string(text) }
    if case .boolean(let flag) = value { return flag ? "true" : "false" }
    return number(value.doubleValue)
  }

  /// A JSON number: the shortest text that reads back, `null` for none, inf or NaN.
  static func number(_ value: Double?) -> String {
    guard let value, value.isFinite else { return "null" }
    if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
    return "\(value)"
  }
}
