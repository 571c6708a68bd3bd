internal import MPFCore
internal import MPFResults
internal import MPFScript
internal import MPFGraphs
import MPFSystem

extension Table {
  /// The table as Lua holds it: an `mpf.DataFrame` userdata.
  var object: LuaValue { .object(LuaObject(typeName: ExperimentScript.dataframeType, value: self)) }

  /// What the userdata's methods ask of the host (lua/stdlib/mpf.dataframe.lua). Verbs return
  /// a new dataframe; a verb that takes a Lua function does the Lua part in Lua and asks for
  /// `take`, `groups` or `with_column` here.
  func answer(_ operation: String, _ arguments: [LuaValue]) throws -> LuaValue {
    func string(_ index: Int, _ what: String) throws -> String {
      guard index < arguments.count, let text = arguments[index].stringValue else { throw LuaRaise("\(operation) expects \(what)") }
      return text
    }
    func strings(_ index: Int) -> [String] { arguments.indices.contains(index) ? arguments[index].tableValue?.array.compactMap(\.stringValue) ?? [] : [] }
    switch operation {
    case "format": return .string(formatted())
    case "len": return .integer(Int64(rowCount))
    case "data": return fields
    case "write": return try write(format: try string(0, "(format, path)"), path: try string(1, "(format, path)"))
    case "filter_equal":
      let conditions = (arguments.first?.tableValue?.namedFields ?? []).map { ($0.name, $0.value) }
      return try filter(equal: conditions).object
    case "take":
      let indices = (arguments.first?.tableValue?.array ?? []).compactMap { $0.intValue.map { Int($0) - 1 } }
      guard indices.allSatisfy({ (0..<rowCount).contains($0) }) else { throw LuaRaise("take: a row index is out of range") }
      return rows(indices).object
    case "select": return try select(strings(0)).object
    case "sort": return try sorted(by: strings(0), descending: arguments.count > 1 && arguments[1] == .boolean(true)).object
    case "agg":
      let items: [LuaValue] = arguments.count > 1 ? arguments[1].tableValue?.array ?? [] : []
      let specs = items.map { spec -> (output: String, input: String, function: String) in
        let parts = spec.tableValue?.array ?? []
        return (parts.first?.stringValue ?? "", parts.count > 1 ? parts[1].stringValue ?? "" : "", parts.count > 2 ? parts[2].stringValue ?? "" : "")
      }
      return try aggregate(by: strings(0), specs).object
    case "groups":
      let (keys, members, _) = try groups(by: strings(0))
      return .record([
        "keys": .list(keys.map { .list($0) }),
        "rows": .list(members.map { .list($0.map { .integer(Int64($0 + 1)) }) }),
      ])
    case "with_column":
      let name = try string(0, "(name, values)")
      let values = arguments.count > 1 ? arguments[1].tableValue : nil
      let cells = (0..<rowCount).map { values?.array.indices.contains($0) == true ? values?.array[$0] ?? .nil : values?.fields[.integer(Int64($0 + 1))] ?? .nil }
      var table = self
      let unit = arguments.count > 2 ? arguments[2].stringValue : nil
      if let at = table.columns.firstIndex(where: { $0.name == name }) {
        table.columns[at] = Column(name: name, values: cells, unit: unit)
      } else {
        table.columns.append(Column(name: name, values: cells, unit: unit))
      }
      return table.object
    case "concat":
      guard arguments.count == 1, case .object(let other) = arguments[0], let table = other.dataframe else {
        throw LuaRaise("concat expects a dataframe")
      }
      return concatenated(with: table).object
    case "pivot":
      return try pivot(index: try string(0, "{index =, columns =, values =}"), columns: try string(1, "{index =, columns =, values =}"),
        values: try string(2, "{index =, columns =, values =}")).object
    case "plot":
      return try plot(arguments.first?.tableValue ?? LuaTable())
    default:
      throw LuaRaise("a dataframe has no operation '\(operation)'")
    }
  }

  /// `df:plot{...}`: the SVG's path, or with `term`, the terminal drawing.
  private func plot(_ options: LuaTable) throws -> LuaValue {
    func text(_ key: String) -> String? { options.fields[.string(key)]?.stringValue }
    func flag(_ key: String) -> Bool? { options.fields[.string(key)].flatMap { if case .boolean(let b) = $0 { b } else { nil } } }
    let y = text("y") ?? ""
    var kind: Figure.Kind?
    if let name = text("kind") {
      guard let known = Figure.Kind(rawValue: name) else {
        throw LuaRaise("plot: unknown kind '\(name)' (kinds: \(Figure.Kind.allCases.map(\.rawValue).joined(separator: ", ")))")
      }
      kind = known
    }
    var request = PlotRequest(y: y, x: text("x"), by: options.fields[.string("by")]?.tableValue.map { $0.array.compactMap(\.stringValue) }, kind: kind)
    request.logX = flag("logx")
    request.logY = flag("logy")
    request.title = text("title")
    let figure = try FigureBuilder.figure(self, request, name: name ?? id ?? "mpf")
    if flag("term") == true {
      return .string(TerminalFigure(figure, width: min(Terminal.columns(), 120), colour: Terminal.wantsColour()).render())
    }
    var name = request.x.map { "\(y)-by-\($0)" } ?? y
    if let kind { name += "-\(kind.rawValue)" }
    var path = text("file") ?? FileSystem.join(directory.map { FileSystem.join($0, "graphs") } ?? ".", FigureFiles.safeName(name) + ".svg")
    if !path.hasSuffix(".svg") { path += ".svg" }
    var base = FileSystem.basename(path)
    base.removeLast(4)
    do {
      // The experiment's graphs/ is reached without following links; a `file` is the user's own.
      if text("file") == nil, let directory {
        return .string(try FigureFiles.write(figure, in: Directory.open(directory).subdirectory("graphs"), name: base))
      }
      return .string(try FigureFiles.write(figure, directory: FileSystem.dirname(path), name: base))
    } catch {
      throw LuaRaise("plot: cannot write \(path): \(error)")
    }
  }

  private func write(format: String, path: String) throws -> LuaValue {
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
  }
}
