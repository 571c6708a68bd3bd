internal import MPFCore
import MPFResults
import MPFSystem

/// The last touches once the marks are known: the legend's order, a log y for values over
/// 3 decades, and the subtitle (n, what a mark stands for, log axes, what was left out).
extension FigurePlan {
  func finish(_ figure: inout Figure) {
    if kind == .line { figure.endOrder = FigureBuilder.endOrder(figure) }
    if request.logY == nil, [.line, .scatter].contains(kind), FigureBuilder.spansDecades(figure.panels.lazy.map(\.marks.yValues).joined()) { figure.y.log = true }
    let logAxes = [figure.x.log && figure.x.categories == nil ? "x" : nil, figure.y.log ? "y" : nil].compactMap { $0 }
    var parts = [whatMarksAre(figure)].compactMap { $0 }
    if !logAxes.isEmpty { parts.append("log scale on \(logAxes.joined(separator: " and "))") }
    parts += leftOut()
    figure.subtitle = parts.isEmpty ? nil : parts.joined(separator: "; ")
  }

  /// What a mark stands for, with n.
  func whatMarksAre(_ figure: Figure) -> String? {
    let counts = figure.panels.compactMap(\.marks.runCounts)
    let (fewest, most) = counts.isEmpty ? (nil, nil) : (counts.map(\.fewest).min(), counts.map(\.most).max())
    switch kind {
    case .line, .bar:
      let n = fewest != nil && fewest == most ? String(most ?? 0) : "\(fewest ?? 0)–\(most ?? 0)"
      guard let most, most > 1 else { return "n = 1 run per point" }
      return "n = \(n) runs per point: mean, 95% confidence interval" + (most <= Figure.runsShown ? "; dots: each run" : "")
    case .box: return "n = \(rows.count) runs: median, quartiles, whiskers at 1.5 IQR"
    case .violin: return "n = \(rows.count) runs: density (Gaussian kernel), quartiles, median"
    case .cdf: return "n = \(rows.count) runs"
    case .heatmap: return most ?? 0 > 1 ? "mean over repetitions" : nil
    case .scatter: return "every run (n = \(rows.count))"
    }
  }

  /// What was left out: non-finite values, failed runs, and runs without this result.
  func leftOut() -> [String] {
    let status = table.column(named: "status")
    let failed = status.map { column in column.values.count { $0 != .string("ok") && $0 != .nil } } ?? 0
    let without = table.rowCount - ended - failed
    var left: [String] = []
    if ended > rows.count { left.append(NumberBounds.leftOutNote(ended - rows.count)) }
    if failed > 0 { left.append("\(failed) run\(failed == 1 ? "" : "s") failed") }
    if without > 0 { left.append("\(without) run\(without == 1 ? "" : "s") without \(request.y)") }
    return left
  }
}
