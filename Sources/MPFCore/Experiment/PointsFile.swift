package import MPFText
/// A list of points as CSV (`mpf plan --points-out FILE`, `run_experiment{design = {file =
/// FILE}}`): a header of variable names, then one point a line, each cell the value as Lua
/// writes it (or its label), empty where the variable does not apply. What a design chose can
/// so be kept, edited, and run again exactly (the original mpf's --wsp-output/--wsp-input).
package enum PointsFile {
  /// The CSV text of `points`.
  package static func text(_ points: [[LuaValue]], variables: [Variable]) -> String {
    var out = variables.map { field($0.name) }.joined(separator: ",") + "\n"
    for point in points {
      out += point.map { $0 == .nil ? "" : field($0.displayString) }.joined(separator: ",") + "\n"
    }
    return out
  }

  /// The points of a CSV text, each cell matched to one of its variable's values (by its text
  /// or its label).
  ///
  /// - Throws: `Diagnostic` naming `file` and the line: a column that is no variable, a
  ///   variable without its column, a cell that is none of the values.
  package static func points(_ text: String, file: String, variables: [Variable]) throws -> [[LuaValue]] {
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.hasSuffix("\r") ? $0.dropLast() : $0 }
    guard let header = lines.first, !header.isEmpty else {
      throw Diagnostic(.usage, "the file is empty: it needs a header of variable names", at: SourceLocation(file: file, line: 1))
    }
    let names = try cells(header, file: file, line: 1)
    let known = Dictionary(variables.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { first, _ in first })
    var columns: [Int] = []
    for name in names {
      guard let index = known[name] else {
        throw Diagnostic(
          .usage, "column '\(name)' is not a variable (variables: \(variables.map(\.name).joined(separator: ", ")))",
          at: SourceLocation(file: file, line: 1))
      }
      columns.append(index)
    }
    if let missing = variables.first(where: { variable in !names.contains(variable.name) }) {
      throw Diagnostic(.usage, "no column for variable '\(missing.name)'", at: SourceLocation(file: file, line: 1))
    }
    let lookup = variables.map { variable in
      var map: [String: LuaValue] = [:]
      for (value, label) in zip(variable.values, variable.labels) {
        map[label] = map[label] ?? value
        map[value.displayString] = value
      }
      return map
    }
    var points: [[LuaValue]] = []
    for (offset, line) in lines.enumerated().dropFirst() where !line.isEmpty {
      let values = try cells(line, file: file, line: offset + 1)
      guard values.count == columns.count else {
        throw Diagnostic(
          .usage, "\(values.count) cells where the header has \(columns.count)", at: SourceLocation(file: file, line: offset + 1))
      }
      var point = [LuaValue](repeating: .nil, count: variables.count)
      for (cell, column) in zip(values, columns) where !cell.isEmpty {
        guard let value = lookup[column][cell] else {
          throw Diagnostic(
            .usage, "'\(cell)' is not a value of '\(variables[column].name)' (values: \(variables[column].labels.prefix(8).joined(separator: ", ")))",
            at: SourceLocation(file: file, line: offset + 1))
        }
        point[column] = value
      }
      points.append(point)
    }
    return points
  }

  private static func field(_ text: String) -> String {
    guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
    return "\"" + text.replacingAll("\"", with: "\"\"") + "\""
  }

  /// The cells of one CSV line (quoted cells may hold commas and doubled quotes).
  private static func cells(_ line: Substring, file: String, line number: Int) throws -> [String] {
    var cells: [String] = []
    var current = ""
    var quoted = false
    var index = line.startIndex
    while index < line.endIndex {
      let character = line[index]
      if quoted {
        if character == "\"" {
          let next = line.index(after: index)
          if next < line.endIndex, line[next] == "\"" {
            current.append("\"")
            index = next
          } else {
            quoted = false
          }
        } else {
          current.append(character)
        }
      } else if character == "\"" {
        quoted = true
      } else if character == "," {
        cells.append(current)
        current = ""
      } else {
        current.append(character)
      }
      index = line.index(after: index)
    }
    guard !quoted else { throw Diagnostic(.usage, "a quote is not closed", at: SourceLocation(file: file, line: number)) }
    cells.append(current)
    return cells
  }
}
