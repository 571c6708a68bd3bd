/// A value as a matching key: numbers by value (1 and 1.0 are one key), strings and booleans
/// by what they are. What resume matches runs by, and what dataframe verbs group and filter by.
package struct ValueKey: Hashable, Sendable {
  private let text: String

  package init(_ value: LuaValue) {
    switch value {
    case .integer, .number: text = "n" + LuaValue.format(value.doubleValue ?? 0)
    case .string(let s): text = "s" + s
    case .boolean(let b): text = b ? "T" : "F"
    case .nil: text = "-"
    default: text = "?" + value.displayString
    }
  }
}
