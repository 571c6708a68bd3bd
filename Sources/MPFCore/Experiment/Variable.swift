/// A variable to explore: the values passed to functions and the labels shown for them.
package struct Variable: Sendable, Hashable {
  package var name: String
  /// Kept as a column: 100 000 integers are 8 bytes each, not a 24-byte `LuaValue`.
  package var values: ValueColumn
  package var location: SourceLocation?
  /// When the variable applies (`proto = tcp`, or a function and where it is): from
  /// `mpf.add_variable(name, values, {when = ...})`, said by the report; nil: always.
  package var condition: String?
  /// The labels given, when some differ from their value's text (nil: every value is shown
  /// as its text, and nothing more is kept: a variable of 100 000 values is its values).
  private let customLabels: [String]?
  /// value → label, so that labelling a cell is O(1) even for a variable with 100 000 values.
  private let labelByValue: [LuaValue: String]

  package init(name: String, values: [LuaValue], labels: [String]? = nil, location: SourceLocation? = nil, condition: String? = nil) {
    self.name = name
    self.values = ValueColumn(values)
    self.location = location
    self.condition = condition
    let custom = labels.flatMap { labels in
      zip(values, labels).contains { !Self.isText($1, of: $0) } || labels.count != values.count ? labels : nil
    }
    customLabels = custom
    labelByValue = custom.map { Dictionary(zip(values, $0).map { ($0, $1) }, uniquingKeysWith: { first, _ in first }) } ?? [:]
  }

  /// The labels given, when some value has one that is not its text (nil otherwise).
  package var givenLabels: [String]? { customLabels }

  /// `labels[i]` is how `values[i]` is shown in tables, graphs and the results file.
  package var labels: [String] { customLabels ?? values.map(\.displayString) }

  /// `labels.count` and `labels[index]`, without the list of every label (100 000 strings,
  /// 1.6 MB, to show 25).
  package var labelCount: Int { customLabels?.count ?? values.count }
  package func label(at index: Int) -> String { customLabels?[index] ?? values[index].displayString }

  /// Whether some value is shown by a label of its own (a `{value = label}` map), not only by
  /// its text: exports then carry a `NAME_label` column.
  package var hasLabels: Bool {
    guard let customLabels else { return false }
    return zip(values, customLabels).contains { value, label in
      if let number = value.doubleValue { return Double(label) != number }
      return value.displayString != label
    }
  }

  /// Whether `label` is only `value`'s text.
  private static func isText(_ label: String, of value: LuaValue) -> Bool { value.displayString == label }

  /// The label of `value` (its text when it is not one of this variable's values); `-` for no value (the variable does not apply to that point), as
  /// every table, plan and report shows it.
  package func label(of value: LuaValue) -> String {
    if value == .nil { return "-" }
    return labelByValue[value] ?? value.displayString
  }
}
