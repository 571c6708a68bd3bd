package import MPFCore
extension DataFrame {
  /// The columns every export has, in order: each variable's value (and `NAME_label` where the
  /// variable has labels), `repetition`, each result in base units (and `NAME_unit` where it
  /// has a unit), `status` and `error`. CSV, JSON and YAML carry exactly these.
  package var exportColumns: [(name: String, cell: (ResultRow) -> LuaValue)] {
    var columns: [(name: String, cell: (ResultRow) -> LuaValue)] = []
    for (position, variable) in variables.enumerated() {
      columns.append((variable.name, { $0.values[position] }))
      if variable.hasLabels { columns.append((variable.name + "_label", { .string(variable.label(of: $0.values[position])) })) }
    }
    columns.append(("repetition", { .integer(Int64($0.repetition)) }))
    for name in resultColumns {
      columns.append((name, { $0.results[name]?.luaValue ?? .nil }))
      if let unit = unit(of: name), !unit.isEmpty { columns.append((name + "_unit", { $0.results[name] == nil ? .nil : .string(unit) })) }
    }
    columns.append(("status", { .string($0.status.rawValue) }))
    columns.append(("error", { $0.error.map { .string($0) } ?? .nil }))
    return columns
  }

  /// CSV with a header line: the export columns; a missing value is an empty field.
  package func csv() -> String {
    let columns = exportColumns
    var lines = [columns.map { DataFrame.csvField($0.name) }.joined(separator: ",")]
    for row in rows {
      lines.append(columns.map { column in
        let value = column.cell(row)
        return value == .nil ? "" : DataFrame.csvField(value.displayString)
      }.joined(separator: ","))
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// A JSON list of row objects with the export columns; a missing value is `null`.
  package func json() -> String {
    let columns = exportColumns
    let objects = rows.map { row -> String in
      "{" + columns.map { "\(DataFrame.jsonString($0.name)): \(DataFrame.json($0.cell(row)))" }.joined(separator: ", ") + "}"
    }
    return "[\n  " + objects.joined(separator: ",\n  ") + "\n]\n"
  }

  /// The Lua side of a dataframe's fields: `{columns, variables, results, units, rows, failed}`.
  package var fields: LuaValue {
    var units = LuaTable()
    for name in resultColumns { if let unit = unit(of: name), !unit.isEmpty { units.fields[.string(name)] = .string(unit) } }
    return .record([
      "columns": .list((variables.map(\.name) + resultColumns).map { .string($0) }),
      "variables": .list(variables.map { .string($0.name) }),
      "results": .list(resultColumns.map { .string($0) }),
      "units": .table(units),
      "rows": .list(rows.map(rowValue)),
      "failed": .integer(Int64(failedCount)),
      "dir": directory.map { .string($0) } ?? .nil,
      "id": id.map { .string($0) } ?? .nil,
      "stopped": stopped.map { .string($0) } ?? .nil,
    ])
  }

  /// A row as `df.rows[i]` shows it: each variable's value, each result in base units.
  package func rowValue(_ row: ResultRow) -> LuaValue {
    var table = LuaTable()
    for (variable, value) in zip(variables, row.values) { table.fields[.string(variable.name)] = value }
    for (name, value) in row.results { table.fields[.string(name)] = value.luaValue }
    table.fields["repetition"] = .integer(Int64(row.repetition))
    table.fields["status"] = .string(row.status.rawValue)
    if let error = row.error { table.fields["error"] = .string(error) }
    return .table(table)
  }

  package static func csvField(_ text: String) -> String {
    guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
    return "\"" + text.replacingAll("\"", with: "\"\"") + "\""
  }

  package static func json(_ value: LuaValue) -> String {
    switch value {
    case .nil, .opaque, .object, .table: "null"
    case .boolean(let b): b ? "true" : "false"
    case .integer(let i): String(i)
    case .number(let d): d.isFinite ? "\(d)" : "null"
    case .string(let s): jsonString(s)
    }
  }

  package static func jsonString(_ s: String) -> String {
    var out = "\""
    for scalar in s.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      case _ where scalar.value < 0x20:
        let hex = String(scalar.value, radix: 16)
        out += "\\u" + hex.zeroPadded(to: 4)
      default: out.unicodeScalars.append(scalar)
      }
    }
    return out + "\""
  }
}
