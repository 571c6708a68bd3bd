package import MPFCore
internal import MPFYAML
import MPFText

extension Table {
  /// The columns every export has: each column, followed by `NAME_label` where it has labels
  /// and `NAME_unit` where it has a unit. For an experiment: values in base units, labels,
  /// repetition, results and units, status, error.
  package var exportColumns: [(name: String, cell: (Int) -> LuaValue)] {
    var result: [(name: String, cell: (Int) -> LuaValue)] = []
    for column in columns {
      result.append((column.name, { column.values[$0] }))
      if let labels = column.labels {
        result.append((column.name + "_label", { row in
          let value = column.values[row]
          return value == .nil ? .nil : .string(labels[value] ?? value.displayString)
        }))
      }
      if let unit = column.unit {
        result.append((column.name + "_unit", { column.values[$0] == .nil ? .nil : .string(unit) }))
      }
    }
    return result
  }

  /// CSV with a header line; a missing value is an empty field.
  package func csv() -> String {
    let columns = exportColumns
    var lines = [columns.map { DataFrame.csvField($0.name) }.joined(separator: ",")]
    for row in 0..<rowCount {
      lines.append(columns.map { column in
        let value = column.cell(row)
        return value == .nil ? "" : DataFrame.csvField(value.displayString)
      }.joined(separator: ","))
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// A JSON list of row objects; a missing value is `null`.
  package func json() -> String {
    let columns = exportColumns
    let objects = (0..<rowCount).map { row -> String in
      "{" + columns.map { "\(JSONText.string($0.name)): \(DataFrame.json($0.cell(row)))" }.joined(separator: ", ") + "}"
    }
    return "[\n  " + objects.joined(separator: ",\n  ") + "\n]\n"
  }

  /// A YAML list of row mappings.
  package func yaml() throws -> String {
    let columns = exportColumns
    return try YAMLEmitter.emit(.sequence((0..<rowCount).map { row in .mapping(columns.map { ($0.name, YAMLNode.value($0.cell(row))) }) }))
  }

  /// What Lua reads of a dataframe: `columns`, `variables`, `results`, `units`, `labels`
  /// (`{variable = {value = label}}`), `rows`,
  /// `failed`, and for an experiment's `dir`, `id`, `stopped`.
  package var fields: LuaValue {
    var units = LuaTable()
    for column in columns { if let unit = column.unit { units.fields[.string(column.name)] = .string(unit) } }
    var labels = LuaTable()
    for column in columns {
      guard let given = column.labels else { continue }
      var map = LuaTable()
      for (value, label) in given { map.fields[value] = .string(label) }
      labels.fields[.string(column.name)] = .table(map)
    }
    let own: Set<String> = ["repetition", "status", "error"]
    let failed = column(named: "status")?.values.count { $0 != .string("ok") && $0 != .nil } ?? 0
    return .record([
      "columns": .list(columns.filter { !own.contains($0.name) }.map { .string($0.name) }),
      "variables": .list(columns.filter(\.isVariable).map { .string($0.name) }),
      "results": .list(columns.filter { !$0.isVariable && !own.contains($0.name) }.map { .string($0.name) }),
      "units": .table(units),
      "labels": .table(labels),
      "rows": .list((0..<rowCount).map(row)),
      "failed": .integer(Int64(failed)),
      "dir": directory.map { .string($0) } ?? .nil,
      "id": id.map { .string($0) } ?? .nil,
      "stopped": stopped.map { .string($0) } ?? .nil,
    ])
  }
}
