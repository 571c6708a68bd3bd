internal import MPFCore
internal import MPFResults
internal import MPFScript

extension DataFrame {
  /// The dataframe as Lua holds it: an `mpf.DataFrame` userdata.
  var object: LuaValue { .object(LuaObject(typeName: ExperimentScript.dataframeType, value: self)) }

  /// What the userdata's methods ask of the host (lua/stdlib/mpf.dataframe.lua).
  func answer(_ operation: String, _ arguments: [LuaValue]) throws -> LuaValue {
    switch operation {
    case "format": return .string(formatted())
    case "len": return .integer(Int64(rows.count))
    case "data": return fields
    case "write":
      guard arguments.count == 2, let format = arguments[0].stringValue, let path = arguments[1].stringValue else {
        throw LuaRaise("write expects (format, path)")
      }
      let text: String
      switch format {
      case "csv": text = csv()
      case "json": text = json()
      case "yaml": text = try yaml()
      default: throw LuaRaise("unknown format '\(format)'")
      }
      do {
        try FileSystem.writeAtomically(path, Array(text.utf8))
      } catch {
        throw LuaRaise("cannot write \(path): \(error)")
      }
      return .nil
    default:
      throw LuaRaise("a dataframe has no operation '\(operation)'")
    }
  }
}
