package import MPFCore
package import MPFText
extension DataFrame {
  package static func csvField(_ text: String) -> String { CSVText.field(text) }

  package static func json(_ value: LuaValue) -> String {
    switch value {
    case .nil, .opaque, .object, .table: "null"
    case .boolean(let b): b ? "true" : "false"
    case .integer(let i): String(i)
    case .number(let d): d.isFinite ? "\(d)" : "null"
    case .string(let s): JSONText.string(s)
    }
  }
}
