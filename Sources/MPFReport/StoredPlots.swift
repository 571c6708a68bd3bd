internal import MPFCore
package import MPFResults
package import MPFGraphs
package import MPFSystem

/// Graphs of stored experiments (`mpf plot DIR...`): redrawn from experiment.yaml, never re-run.
/// With several experiments, each becomes a series: the same variables compared across two
/// versions or two machines.
package enum StoredPlots {
  /// The column that tells experiments apart in a combined table.
  package static let experimentColumn = "experiment"

  /// One experiment's table, or several experiments' tables one after the other with an
  /// `experiment` column (each one's name: `ExperimentNames`) in front, treated as a variable.
  package static func table(of experiments: [StoredExperiment]) -> Table {
    guard experiments.count > 1 else { return experiments.first?.table ?? Table(columns: []) }
    let names = ExperimentNames.names(of: experiments)
    var combined: Table?
    for (experiment, name) in zip(experiments, names) {
      var table = experiment.table
      (table.directory, table.id, table.stopped) = (nil, nil, nil)
      table.columns.insert(Table.Column(name: experimentColumn, values: Array(repeating: .string(name), count: table.rowCount), isVariable: true), at: 0)
      combined = combined.map { $0.concatenated(with: table) } ?? table
    }
    var table = combined!
    for index in table.columns.indices where experiments.contains(where: { $0.variables.contains { $0.name == table.columns[index].name } }) {
      table.columns[index].isVariable = true
    }
    return table
  }

  /// The name graphs carry in their title: the scripts' names.
  package static func name(of experiments: [StoredExperiment]) -> String {
    var names: [String] = []
    for experiment in experiments where !names.contains(ReportPage.name(of: experiment)) { names.append(ReportPage.name(of: experiment)) }
    return names.joined(separator: " vs ")
  }

  /// The figures `request` asks for: one per numeric result when it names none (`y` empty).
  /// With several experiments and no `by`, the experiment is the first series.
  package static func figures(_ experiments: [StoredExperiment], request: PlotRequest) throws -> [(result: String, figure: Figure)] {
    let table = table(of: experiments)
    let name = name(of: experiments)
    let results = request.y.isEmpty ? FigureBuilder.numericResults(of: table) : [request.y]
    guard !results.isEmpty else { throw LuaRaise("no numeric result to draw (columns: \(table.names.joined(separator: ", ")))") }
    return try results.map { result in
      var asked = request
      asked.y = result
      if experiments.count > 1, asked.by == nil, asked.x != experimentColumn {
        // The experiment first, then what else varies (except x).
        let varying = table.columns.filter { $0.isVariable && $0.name != experimentColumn }.map(\.name)
        let x = try asked.x ?? FigureBuilder.figure(table, PlotRequest(y: result, x: nil, by: [experimentColumn]), name: name).x.name
        asked.x = x.isEmpty ? nil : x
        asked.by = [experimentColumn] + varying.filter { $0 != x && distinct(table, $0) > 1 }
      }
      return (result, try FigureBuilder.figure(table, asked, name: name))
    }
  }

  static func distinct(_ table: Table, _ name: String) -> Int {
    Set(table.column(named: name)?.values.map(ValueKey.init) ?? []).count
  }
}
