internal import MPFCore
package import MPFResults
internal import MPFGraphs
import MPFText

/// The runs embedded in report.html for its explorer, as JSON in a
/// `<script type="application/json">` block (data, never run): one entry per column, by column.
/// A variable is its distinct values (`levels`: value and label) and each run's index among them
/// (`codes`, -1 where it does not apply); a result is its numbers (`null` where missing or not
/// finite) and its unit; the status is levels and codes too. 100,000 runs of 3 variables and a
/// result are about 2 MB.
package enum ReportData {
  package static func json(_ table: Table) -> String {
    var columns: [String] = []
    for column in table.columns where column.isVariable { columns.append(coded(column, role: "variable")) }
    for name in FigureBuilder.numericResults(of: table) {
      guard let column = table.column(named: name) else { continue }
      columns.append(numbers(column))
    }
    if let status = table.column(named: "status") { columns.append(coded(status, role: "status")) }
    return "{\"rows\":\(table.rowCount),\"columns\":[\n" + columns.joined(separator: ",\n") + "\n]}"
  }

  /// A column of few distinct values: its levels (in the order of first appearance, numbers
  /// sorted first when all are numbers) and each row's level.
  static func coded(_ column: Table.Column, role: String) -> String {
    var levels: [LuaValue] = []
    var index: [LuaValue: Int] = [:]
    for value in column.values where value != .nil && index[value] == nil {
      index[value] = levels.count
      levels.append(value)
    }
    if levels.allSatisfy({ $0.doubleValue != nil }) {
      levels.sort { ($0.doubleValue ?? 0) < ($1.doubleValue ?? 0) }
      for (position, value) in levels.enumerated() { index[value] = position }
    }
    let levelText = levels.map { value in
      "{\"v\":\(scalar(value)),\"l\":\(JSONText.string(column.labels?[value] ?? value.displayString))}"
    }
    var codes = ""
    codes.reserveCapacity(column.values.count * 3)
    for (position, value) in column.values.enumerated() {
      if position > 0 { codes += "," }
      codes += String(index[value] ?? -1)
    }
    return "{\"name\":\(JSONText.string(column.name)),\"role\":\"\(role)\",\"levels\":[\(levelText.joined(separator: ","))],\"codes\":[\(codes)]}"
  }

  /// A numeric result: its numbers and unit.
  static func numbers(_ column: Table.Column) -> String {
    var values = ""
    values.reserveCapacity(column.values.count * 8)
    for position in 0..<column.values.count {
      if position > 0 { values += "," }
      values += number(column.values.number(at: position))
    }
    let unit = column.unit.map(JSONText.string) ?? "null"
    return "{\"name\":\(JSONText.string(column.name)),\"role\":\"result\",\"unit\":\(unit),\"values\":[\(values)]}"
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
