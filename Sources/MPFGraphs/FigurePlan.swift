internal import MPFCore
import MPFResults

/// What one figure is drawn from, decided before anything is drawn: the runs that count, the
/// kind, and each variable's role (x, series, small multiples) with its keys.
struct FigurePlan {
  let table: Table
  let request: PlotRequest
  let yColumn: Table.Column
  /// How many runs ended ok with a number, and of those the finite ones (the ones drawn).
  let ended: Int, rows: RowSelection
  let varying: [String]
  let kind: Figure.Kind
  let xColumn: Table.Column?
  let xNumeric: Bool
  let seriesNames: [String]
  let seriesColumns: [Table.Column], panelColumns: [Table.Column]
  let seriesKeys: Table.Grouping, panelKeys: Table.Grouping, xKeys: Table.Grouping
  /// Whether x is drawn as categories (bars, boxes, heatmaps, or a variable of strings).
  let xCategorical: Bool
  /// Whether the result can never be below zero (its unit, or every value).
  let nonNegative: Bool

  init(_ table: Table, _ request: PlotRequest) throws {
    (self.table, self.request) = (table, request)
    yColumn = try table.require(request.y, for: "plot")
    (ended, rows) = FigurePlan.countedRows(table, yColumn)
    guard yColumn.values.contains(where: { $0.doubleValue != nil }) else {
      throw LuaRaise("plot: column '\(request.y)' holds no number (numeric columns: \(FigureBuilder.numericResults(of: table).joined(separator: ", ")))")
    }
    let rows = self.rows
    varying = table.columns.filter { $0.isVariable && FigureBuilder.distinctCount($0, rows) > 1 }.map(\.name)
    for name in [request.x].compactMap({ $0 }) + (request.by ?? []) { _ = try table.require(name, for: "plot") }
    let xName = request.x ?? (request.kind == .cdf ? nil : FigurePlan.chooseX(table, request, varying, rows))
    xColumn = xName.flatMap { table.column(named: $0) }
    xNumeric = xColumn.map(FigureBuilder.isNumeric) ?? false
    kind = request.kind ?? (xNumeric ? .line : .bar)
    let (series, panels) = try FigurePlan.roles(table, request, kind: kind, x: xName, varying: varying, rows: rows)
    seriesNames = series
    seriesColumns = series.compactMap { table.column(named: $0) }
    panelColumns = panels.compactMap { table.column(named: $0) }
    seriesKeys = FigureBuilder.keys(seriesColumns, rows)
    panelKeys = FigureBuilder.keys(panelColumns, rows)
    xKeys = FigureBuilder.keys(xColumn.map { [$0] } ?? [], rows)
    xCategorical = !xNumeric || [.bar, .box, .violin, .heatmap].contains(kind)
    let values = yColumn.values
    nonNegative = Figure.unitIsNonNegative(yColumn.unit) || rows.allSatisfy { (values.number(at: $0) ?? 0) >= 0 }
  }

  /// The runs that count: those that ended ok and returned a number; of those, the finite
  /// ones are drawn (an infinity or a NaN is left out, and the subtitle says how many).
  static func countedRows(_ table: Table, _ yColumn: Table.Column) -> (ended: Int, rows: RowSelection) {
    let status = table.column(named: "status")?.values
    var (ended, rows) = (0, RowSelection())
    rows.reserveCapacity(table.rowCount)
    for row in 0..<table.rowCount {
      guard status.map({ $0[row] == .string("ok") || $0[row] == .nil }) ?? true, let y = yColumn.values.number(at: row) else { continue }
      ended += 1
      if y.isFinite { rows.append(row) }
    }
    return (ended, rows)
  }

  /// x when not asked for: the numeric varying variable with most values, or a categorical one.
  static func chooseX(_ table: Table, _ request: PlotRequest, _ varying: [String], _ rows: RowSelection) -> String? {
    let candidates = varying.filter { !(request.by ?? []).contains($0) }.compactMap { table.column(named: $0) }
    let numeric = candidates.filter { FigureBuilder.isNumeric($0) }
    return (numeric.isEmpty ? candidates : numeric).max { FigureBuilder.distinctCount($0, rows) < FigureBuilder.distinctCount($1, rows) }?.name
  }

  /// Series and small multiples: the varying variables other than x, fewest values first as
  /// series while there are at most `maxSeries`, the rest as panels; each in the script's
  /// order. A heatmap takes one variable as its rows.
  static func roles(
    _ table: Table, _ request: PlotRequest, kind: Figure.Kind, x: String?, varying: [String], rows: RowSelection
  ) throws -> (series: [String], panels: [String]) {
    var series: [String] = request.by ?? [], panels: [String] = []
    if request.by == nil {
      let rest = varying.filter { $0 != x }.compactMap { table.column(named: $0) }
        .sorted { FigureBuilder.distinctCount($0, rows) < FigureBuilder.distinctCount($1, rows) }
      var product = 1
      for column in rest {
        let count = FigureBuilder.distinctCount(column, rows)
        if product * count <= request.maxSeries || series.isEmpty && kind != .heatmap {
          series.append(column.name)
          product *= count
        } else {
          panels.append(column.name)
        }
      }
      series.sort { table.names.firstIndex(of: $0)! < table.names.firstIndex(of: $1)! }
      panels.sort { table.names.firstIndex(of: $0)! < table.names.firstIndex(of: $1)! }
    }
    guard kind == .heatmap else { return (series, panels) }
    guard x != nil, let vertical = series.first else {
      throw LuaRaise("plot: a heatmap needs two variables: x and one in by (varying: \(varying.joined(separator: ", ")))")
    }
    return ([vertical], Array(series.dropFirst()) + panels)
  }
}
