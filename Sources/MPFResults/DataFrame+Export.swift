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
