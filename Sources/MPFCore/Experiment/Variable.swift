/// A variable to explore: the values passed to functions and the labels shown for them.
package struct Variable: Sendable, Hashable {
  package var name: String
  package var values: [LuaValue]
  /// `labels[i]` is how `values[i]` is shown in tables, graphs and the results file.
  package var labels: [String]
  package var location: SourceLocation?
  /// value → label, so that labelling a cell is O(1) even for a variable with 100 000 values.
  private let labelByValue: [LuaValue: String]

  package init(name: String, values: [LuaValue], labels: [String]? = nil, location: SourceLocation? = nil) {
    self.name = name
    self.values = values
    let labels = labels ?? values.map(\.displayString)
    self.labels = labels
    self.location = location
    labelByValue = Dictionary(zip(values, labels).map { ($0, $1) }, uniquingKeysWith: { first, _ in first })
  }

  /// Whether some value is shown by a label of its own (a `{value = label}` map), not only by
  /// its text: exports then carry a `NAME_label` column.
  package var hasLabels: Bool {
    zip(values, labels).contains { value, label in
      if let number = value.doubleValue { return Double(label) != number }
      return value.displayString != label
    }
  }

  /// The label of `value`, or its text when it is not one of this variable's values.
  package func label(of value: LuaValue) -> String {
    labelByValue[value] ?? value.displayString
  }
}
