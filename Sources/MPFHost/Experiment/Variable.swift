/// A variable to explore: the values passed to functions and the labels shown for them.
public struct Variable: Sendable, Hashable {
  public var name: String
  public var values: [LuaValue]
  /// `labels[i]` is how `values[i]` is shown in tables, graphs and the results file.
  public var labels: [String]
  public var location: SourceLocation?

  public init(name: String, values: [LuaValue], labels: [String]? = nil, location: SourceLocation? = nil) {
    self.name = name
    self.values = values
    self.labels = labels ?? values.map(\.displayString)
    self.location = location
  }

  /// The label of `value`, or its text when it is not one of this variable's values.
  public func label(of value: LuaValue) -> String {
    values.firstIndex(of: value).map { labels[$0] } ?? value.displayString
  }
}
