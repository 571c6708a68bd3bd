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
    func next(_ text: String) throws {
      try emit((first ? "" : ",\n") + text)
      first = false
    }
    for column in table.columns where column.isVariable { try next(coded(column, role: "variable")) }
    for name in results {
      guard let column = table.column(named: name) else { continue }
      try next(numbers(column, role: "result"))
    }
    if let status = table.column(named: "status") { try next(coded(status, role: "status")) }
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
  static func coded(_ column: Table.Column, role: String) -> String {
    let (values, code) = Table.distinct(column.values, Array(0..<column.values.count))
    var order = values.indices.filter { values[$0] != .nil }
    let numeric = order.allSatisfy { values[$0].doubleValue != nil }
    if role == "variable", numeric, column.labels == nil, order.count > levelsKept { return numbers(column, role: role) }
    if numeric { order.sort { (values[$0].doubleValue ?? 0) < (values[$1].doubleValue ?? 0) } }
    var level = [Int](repeating: -1, count: values.count)
    for (position, index) in order.enumerated() { level[index] = position }
    let levelText = order.map { index in
      "{\"v\":\(scalar(values[index])),\"l\":\(JSONText.string(column.labels?[values[index]] ?? values[index].displayString))}"
    }
    var codes = ""
    codes.reserveCapacity(code.count * 3)
    for (position, value) in code.enumerated() {
      if position > 0 { codes += "," }
      codes += String(level[Int(value)])
    }
    return "{\"name\":\(JSONText.string(column.name)),\"role\":\"\(role)\",\"levels\":[\(levelText.joined(separator: ","))],\"codes\":[\(codes)]}"
  }

  /// A column of numbers (a result, with its unit; a variable of many numbers).
  static func numbers(_ column: Table.Column, role: String) -> String {
    var values = ""
    values.reserveCapacity(column.values.count * 8)
    for position in 0..<column.values.count {
      if position > 0 { values += "," }
      values += number(column.values.number(at: position))
    }
    let unit = column.unit.map(JSONText.string) ?? "null"
    return "{\"name\":\(JSONText.string(column.name)),\"role\":\"\(role)\",\"unit\":\(unit),\"values\":[\(values)]}"
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
