package import MPFCore
/// A YAML tree, as mpf writes it and reads it back. Scalars keep whether they were plain, so
/// that `"1"` (a string) and `1` (a number) stay apart.
package indirect enum YAMLNode: Sendable {
  case scalar(String, plain: Bool, line: Int = 0)
  case sequence([YAMLNode], flow: Bool = false, line: Int = 0)
  case mapping([(key: String, value: YAMLNode)], flow: Bool = false, line: Int = 0)

  /// A string, quoted on output whenever it would otherwise read as a number, boolean or null.
  /// The one YAML scalar for text: plain when libyaml can write it so and it reads back as this
  /// string; double-quoted when it would read as a number, boolean or null, or begins like the
  /// emitter's own flow-text marker (a value `"\0flow:..."` was copied into the file unquoted).
  package static func string(_ s: String) -> YAMLNode { .scalar(s, plain: !YAMLNode.looksTyped(s) && !s.hasPrefix(flowTextMarker)) }
  package static func int(_ i: Int) -> YAMLNode { .scalar(String(i), plain: true) }
  package static func number(_ d: Double) -> YAMLNode {
    if d.isNaN { return .scalar(".nan", plain: true) }
    if d.isInfinite { return .scalar(d < 0 ? "-.inf" : ".inf", plain: true) }
    return .scalar(d == d.rounded() && abs(d) < 1e15 ? String(Int64(d)) : "\(d)", plain: true)
  }
  package static func bool(_ b: Bool) -> YAMLNode { .scalar(b ? "true" : "false", plain: true) }

  /// A flow sequence already written as text (`[[3, 0], [1, 0]]`), which the emitter copies as
  /// it is: a run order or a list of 100 000 numbers without a node per item. Only for text
  /// that is valid flow YAML on one line.
  package static func flowText(_ text: String) -> YAMLNode { .scalar(flowTextMarker + text, plain: true) }
  static let flowTextMarker = "\u{0}flow:"

  /// `values` as a flow sequence of plain numbers written straight as text, when each is an
  /// integer or a finite float (nil otherwise: then nodes, one per value).
  package static func numbers(_ values: some Collection<LuaValue>) -> YAMLNode? {
    var text = "["
    text.reserveCapacity(values.count * 8 + 2)
    for (index, value) in values.enumerated() {
      if index > 0 { text += ", " }
      // Each number as `value` writes it.
      guard value.doubleValue?.isFinite == true, case .scalar(let written, true, _) = YAMLNode.value(value) else { return nil }
      text += written
    }
    return flowText(text + "]")
  }
  package static let null = YAMLNode.scalar("null", plain: true)

  /// A Lua value as YAML (tables as flow sequences/mappings).
  package static func value(_ v: LuaValue) -> YAMLNode {
    switch v {
    case .nil, .opaque, .object: .null
    case .boolean(let b): .bool(b)
    case .integer(let i): .scalar(String(i), plain: true)
    case .number(let d): .number(d)
    case .string(let s): .string(s)
    case .table(let t):
      t.fields.isEmpty
        ? .sequence(t.array.map(value), flow: true)
        : .mapping(t.namedFields.map { ($0.name, value($0.value)) }, flow: true)
    }
  }

  /// Whether a plain scalar with this text would be read as something other than a string.
  package static func looksTyped(_ s: String) -> Bool {
    if s.isEmpty { return true }
    let lower = s.lowercased()
    let words: Set<String> = ["true", "false", "yes", "no", "on", "off", "y", "n", "null", "~", ".inf", "-.inf", "+.inf", ".nan"]
    if words.contains(lower) { return true }
    if Int(s) != nil || Double(s) != nil { return true }
    return lower.hasPrefix("0x") || lower.hasPrefix("0o")
  }

  // Reading -------------------------------------------------------------------------------

  package var line: Int {
    switch self {
    case .scalar(_, _, let line), .sequence(_, _, let line), .mapping(_, _, let line): line
    }
  }

  /// The value under `key` of a mapping.
  package subscript(key: String) -> YAMLNode? {
    guard case .mapping(let pairs, _, _) = self else { return nil }
    return pairs.first { $0.key == key }?.value
  }

  package var string: String? {
    guard case .scalar(let s, let plain, _) = self else { return nil }
    return plain && s == "null" || plain && s == "~" ? nil : s
  }

  package var intValue: Int? {
    guard case .scalar(let s, true, _) = self else { return nil }
    return Int(s)
  }

  package var doubleValue: Double? {
    guard case .scalar(let s, true, _) = self else { return nil }
    switch s {
    case ".inf": return .infinity
    case "-.inf": return -.infinity
    case ".nan": return .nan
    default: return Double(s)
    }
  }

  package var items: [YAMLNode] {
    guard case .sequence(let items, _, _) = self else { return [] }
    return items
  }

  package var pairs: [(key: String, value: YAMLNode)] {
    guard case .mapping(let pairs, _, _) = self else { return [] }
    return pairs
  }

  /// A scalar resolved as YAML's core schema would: integer, float, boolean, null or string.
  package var luaValue: LuaValue {
    switch self {
    case .scalar(let s, let plain, _):
      guard plain else { return .string(s) }
      if let i = Int64(s) { return .integer(i) }
      if let d = doubleValue { return .number(d) }
      switch s {
      case "true": return .boolean(true)
      case "false": return .boolean(false)
      case "null", "~": return .nil
      default: return .string(s)
      }
    case .sequence(let items, _, _): return .list(items.map(\.luaValue))
    case .mapping(let pairs, _, _):
      var table = LuaTable()
      for pair in pairs { table.fields[.string(pair.key)] = pair.value.luaValue }
      return .table(table)
    }
  }
}
