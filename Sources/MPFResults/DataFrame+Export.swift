package import MPFCore
extension DataFrame {
  /// CSV with a header: variable labels, the repetition, results in base units, the status.
  package func csv() -> String {
    let header = variables.map(\.name) + ["repetition"] + resultColumns + ["status"]
    var lines = [header.map(DataFrame.csvField).joined(separator: ",")]
    for row in rows {
      var cells = labels(of: row) + [String(row.repetition)]
      cells += resultColumns.map { name in row.results[name].map { $0.luaValue.displayString } ?? "" }
      cells.append(row.status.rawValue)
      lines.append(cells.map(DataFrame.csvField).joined(separator: ","))
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// A JSON list of rows: `{"parallel": 1, ..., "repetition": 0, "goodput": 940000, "status": "ok"}`.
  package func json() -> String {
    let objects = rows.map { row -> String in
      var fields = zip(variables, row.values).map { (DataFrame.jsonString($0.name), DataFrame.json($1)) }
      fields.append(("\"repetition\"", String(row.repetition)))
      for name in resultColumns { fields.append((DataFrame.jsonString(name), row.results[name].map { DataFrame.json($0.luaValue) } ?? "null")) }
      fields.append(("\"status\"", DataFrame.jsonString(row.status.rawValue)))
      if let error = row.error { fields.append(("\"error\"", DataFrame.jsonString(error))) }
      return "{" + fields.map { "\($0.0): \($0.1)" }.joined(separator: ", ") + "}"
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
