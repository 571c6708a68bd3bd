package import MPFCore

/// A table that dataframe verbs work on: named, typed-by-value columns of equal length.
///
/// An experiment's `DataFrame` becomes one (`DataFrame.table`) with its variables, the
/// repetition, its results, the status and the error as columns; verbs (filter, select, sort,
/// group_by + agg, pivot, mutate, concat) return new tables. A missing value is `.nil`.
package struct Table: Sendable {
  package struct Column: Sendable {
    package var name: String
    package var values: ValueColumn
    /// The base unit of a numeric result column (`bits/s`), nil when it has none.
    package var unit: String?
    /// How a variable's values are shown (`-Z` → `enabled`), when they have labels.
    package var labels: [LuaValue: String]?
    /// Where it came from: a variable (an index column) or anything else.
    package var isVariable = false

    package init(name: String, values: [LuaValue], unit: String? = nil, labels: [LuaValue: String]? = nil, isVariable: Bool = false) {
      self.init(name: name, values: ValueColumn(values), unit: unit, labels: labels, isVariable: isVariable)
    }

    package init(name: String, values: ValueColumn, unit: String? = nil, labels: [LuaValue: String]? = nil, isVariable: Bool = false) {
      self.name = name
      self.values = values
      self.unit = unit
      self.labels = labels
      self.isVariable = isVariable
    }
  }

  package var columns: [Column]
  /// Set for the table of one experiment: its directory, id, and why it stopped early.
  package var directory: String?
  package var id: String?
  package var stopped: String?
  /// The experiment's name (its script's, without `.lua`), for graph titles.
  package var name: String?

  package init(columns: [Column]) { self.columns = columns }

  package var rowCount: Int { columns.first?.values.count ?? 0 }
  package var names: [String] { columns.map(\.name) }

  package func column(named name: String) -> Column? { columns.first { $0.name == name } }

  /// The column named `name`, or a `LuaRaise` that lists the columns.
  package func require(_ name: String, for verb: String) throws -> Column {
    guard let column = column(named: name) else {
      throw LuaRaise("\(verb): no column '\(name)' (columns: \(names.joined(separator: ", ")))")
    }
    return column
  }

  /// The rows at `indices`, in that order.
  package func rows(_ indices: [Int]) -> Table {
    var table = self
    for c in table.columns.indices { table.columns[c].values = columns[c].values.gathering(indices) }
    return table
  }

  /// Row `index` as a record (column name → value).
  package func row(_ index: Int) -> LuaValue {
    var table = LuaTable()
    for column in columns where column.values[index] != .nil { table.fields[.string(column.name)] = column.values[index] }
    return .table(table)
  }
}

extension DataFrame {
  /// The experiment's results as a table: variables, repetition, results, status, error.
  package var table: Table {
    var columns: [Table.Column] = variables.enumerated().map { position, variable in
      Table.Column(
        name: variable.name, values: rows.variable(position),
        labels: variable.hasLabels ? Dictionary(zip(variable.values, variable.labels), uniquingKeysWith: { a, _ in a }) : nil,
        isVariable: true)
    }
    columns.append(Table.Column(name: "repetition", values: rows.repetitionColumn))
    for name in resultColumns {
      // In base units: "5 Gbit/s" is 5e9 (each distinct string parsed once); integers are
      // their own, and the column is shared rather than copied.
      let values = rows.result(named: name).map { $0.holdsIntegersOnly ? $0 : $0.mapValues { ResultValue(raw: $0).luaValue } }
        ?? ValueColumn(repeating: .nil, count: rows.count)
      columns.append(Table.Column(name: name, values: values, unit: unit(of: name).flatMap { $0.isEmpty ? nil : $0 }))
    }
    columns.append(Table.Column(name: "status", values: rows.statusColumn))
    columns.append(Table.Column(name: "error", values: rows.errorColumn))
    var table = Table(columns: columns)
    (table.directory, table.id, table.stopped, table.name) = (directory, id, stopped, name)
    return table
  }
}
