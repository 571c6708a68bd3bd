/// A Lua value copied out of a Lua state: plain Sendable data that crosses tasks and the wire.
///
/// Functions, userdata and threads cannot leave their state; they are kept as `.opaque` with
/// their type name so that callers can say what was returned ("result 'x' is a function").
package enum LuaValue: Sendable, Hashable {
  case `nil`
  case boolean(Bool)
  case integer(Int64)
  case number(Double)
  case string(String)
  case table(LuaTable)
  case opaque(String)
  /// A host value held by Lua as a userdata (it never crosses the wire).
  case object(LuaObject)

  /// The value as Lua's `type()` names it.
  package var typeName: String {
    switch self {
    case .nil: "nil"
    case .boolean: "boolean"
    case .integer, .number: "number"
    case .string: "string"
    case .table: "table"
    case .opaque(let name): name
    case .object: "userdata"
    }
  }

  package var stringValue: String? {
    if case .string(let s) = self { return s }
    return nil
  }

  package var tableValue: LuaTable? {
    if case .table(let t) = self { return t }
    return nil
  }

  /// Integer or float as a Double, nil for anything else.
  package var doubleValue: Double? {
    switch self {
    case .integer(let i): Double(i)
    case .number(let d): d
    default: nil
    }
  }

  package var intValue: Int64? {
    switch self {
    case .integer(let i): i
    case .number(let d) where d.rounded() == d && abs(d) < 9.0e18: Int64(d)
    default: nil
    }
  }

  /// Field `key` when this is a table.
  package subscript(key: String) -> LuaValue {
    tableValue?.fields[.string(key)] ?? .nil
  }

  /// The text Lua's `tostring` gives for scalars (integers without ".0", floats with "%.14g").
  package var displayString: String {
    switch self {
    case .nil: "nil"
    case .boolean(let b): b ? "true" : "false"
    case .integer(let i): String(i)
    case .number(let d): LuaValue.format(d)
    case .string(let s): s
    case .table: "table"
    case .opaque(let name): name
    case .object(let object): object.typeName
    }
  }

  package static func format(_ d: Double) -> String {
    if d.isNaN { return d.sign == .minus ? "-nan" : "nan" }
    if d.isInfinite { return d < 0 ? "-inf" : "inf" }
    if d == d.rounded(), abs(d) < 1e15 { return String(Int64(d)) + ".0" }
    return shortestRepresentation(d)
  }

  private static func shortestRepresentation(_ d: Double) -> String {
    var s = "\(d)"
    if s.hasSuffix(".0") { s.removeLast(2) }
    return s
  }
}

/// A Lua table split into its sequence part (`t[1]..t[n]`) and its other fields.
package struct LuaTable: Sendable, Hashable {
  package var array: [LuaValue]
  package var fields: [LuaValue: LuaValue]

  package init(array: [LuaValue] = [], fields: [LuaValue: LuaValue] = [:]) {
    self.array = array
    self.fields = fields
  }

  /// Fields with string keys, sorted by key, so that output never depends on hash order.
  package var namedFields: [(name: String, value: LuaValue)] {
    fields.compactMap { key, value in key.stringValue.map { ($0, value) } }.sorted { $0.name < $1.name }
  }
}

extension LuaValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
  ExpressibleByBooleanLiteral
{
  package init(stringLiteral value: String) { self = .string(value) }
  package init(integerLiteral value: Int64) { self = .integer(value) }
  package init(floatLiteral value: Double) { self = .number(value) }
  package init(booleanLiteral value: Bool) { self = .boolean(value) }
}

extension LuaValue {
  /// A table value holding a sequence.
  package static func list(_ items: [LuaValue]) -> LuaValue { .table(LuaTable(array: items)) }

  /// A table value holding string-keyed fields.
  package static func record(_ fields: [String: LuaValue]) -> LuaValue {
    var table = LuaTable()
    for (key, value) in fields { table.fields[.string(key)] = value }
    return .table(table)
  }
}
