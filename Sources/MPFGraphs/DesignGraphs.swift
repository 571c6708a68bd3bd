internal import MPFCore
package import MPFResults

/// The default graphs of a sampled design (random, LHS, WSP: a few points out of many
/// combinations): one line per point would be noise, so each variable gets its main effect
/// (the mean of the result per value of that variable, over every other, with its 95%
/// interval) and, when numeric, a scatter of every run's result against it.
package enum DesignGraphs {
  /// Whether the runs cover a sample of the combinations rather than all of them: `design`
  /// (random, lhs, wsp) when the experiment says it, else guessed from the data: at most half
  /// of the combinations of the varying variables ran (a full design with a few points
  /// excluded is not sampled; a variable that does not apply to some points, `when`, makes
  /// the guess no).
  package static func isSampled(_ table: Table, design: String? = nil) -> Bool {
    if let design { return ["random", "lhs", "wsp"].contains(design) }
    let rows = RowSelection(0..<table.rowCount)
    let varying = table.columns.filter { $0.isVariable && FigureBuilder.distinctCount($0, rows) > 1 }
    guard varying.count >= 2, !varying.contains(where: { $0.values.contains(.nil) }) else { return false }
    let combinations = varying.reduce(1.0) { $0 * Double(FigureBuilder.distinctCount($1, rows)) }
    return Double(Table.grouping(varying, rows).count) * 2 <= combinations
  }

  /// The main effect of each varying variable on `result`, then a scatter against each numeric
  /// one; each named `result-by-variable` or `result-vs-variable`.
  package static func figures(_ table: Table, result: String, name: String) -> [(result: String, figure: Figure)] {
    let rows = RowSelection(0..<table.rowCount)
    let varying = table.columns.filter { $0.isVariable && FigureBuilder.distinctCount($0, rows) > 1 }
    var out: [(String, Figure)] = []
    for variable in varying {
      var request = PlotRequest(y: result, x: variable.name, by: [])
      request.title = "\(name): \(result) by \(variable.name) (main effect)"
      guard var figure = try? FigureBuilder.figure(table, request, name: name) else { continue }
      figure.subtitle = ["mean over every other variable", figure.subtitle].compactMap { $0 }.joined(separator: "; ")
      out.append(("\(result)-by-\(variable.name)", figure))
    }
    for variable in varying where FigureBuilder.isNumeric(variable) {
      var request = PlotRequest(y: result, x: variable.name, by: [], kind: .scatter)
      request.title = "\(name): \(result) against \(variable.name)"
      if let figure = try? FigureBuilder.figure(table, request, name: name) { out.append(("\(result)-vs-\(variable.name)", figure)) }
    }
    return out
  }
}
