import MPFSystem
import MPFText

/// The marks of one panel, one function per kind of figure.
extension SVGFigure {
  /// The marks' text, to `emit` (a line of many points in pieces).
  func drawMarks(_ panel: Figure.Panel, _ frame: PanelFrame, _ emit: (String) throws -> Void) rethrows {
    switch figure.kind {
    case .line: try drawLines(panel, frame, emit)
    case .scatter: try emit(drawScatter(panel, frame))
    case .bar: try emit(drawBars(panel, frame))
    case .box: try emit(drawDistributions(panel, frame, draw: drawBox))
    case .violin: try emit(drawDistributions(panel, frame, draw: drawViolin))
    case .cdf: try emit(drawCDF(panel, frame))
    case .heatmap: try emit(drawHeatmap(panel, frame))
    }
  }

  /// A line's width: the ones drawn first are wider (the last 2 px, the one before 3, the others
  /// 4), so lines that coincide show as bands of each colour, the one on top inside, never one
  /// line hidden under another.
  func lineWidth(_ series: Int, among order: [Int]) -> String {
    let later = order.count - 1 - (order.firstIndex(of: series) ?? order.count - 1)
    return n(2 + Double(min(later, 2)))
  }

  /// Each series' means joined by a line, each with its interval and its runs behind it; to
  /// `emit` in pieces of about 64 KiB.
  func drawLines(_ panel: Figure.Panel, _ frame: PanelFrame, _ emit: (String) throws -> Void) rethrows {
    var out = ""
    let piece = 1 << 16
    out.reserveCapacity(piece + 256)
    let order = seriesIndices(panel)
    for series in order {
      let points = panel.marks(of: series, sortedBy: { $0.x < $1.x })
      // Past a few hundred points, markers, runs and error bars would hide the line.
      let detailed = points.count <= 200
      for point in points where detailed { out += runDots(point, x: frame.px(point.x), spread: 10, py: frame.py, series: series) }
      // Written straight into the piece of text: a line of 100 000 points makes no string per
      // point, and its path (1.8 MB) is never whole in memory.
      out += "<path class=\"series\" data-series=\"\(series)\" d=\""
      for (index, point) in points.enumerated() {
        out += index == 0 ? "M" : " L"
        out += n(frame.px(point.x))
        out += ","
        out += n(frame.py(point.y))
        if out.utf8.count >= piece {
          try emit(out)
          out.removeAll(keepingCapacity: true)
        }
      }
      out += "\" fill=\"none\" stroke=\"\(Palette.colour(series))\" stroke-width=\"\(lineWidth(series, among: order))\"\(dash(series))/>\n"
      for point in points where detailed {
        out += errorBar(point, x: frame.px(point.x), py: frame.py, series: series, cap: 4)
        out += marker(series, frame.px(point.x), frame.py(point.y))
      }
    }
    try emit(out)
  }

  func drawScatter(_ panel: Figure.Panel, _ frame: PanelFrame) -> String {
    var out = ""
    for series in seriesIndices(panel) {
      out += "<g class=\"series\" data-series=\"\(series)\" fill-opacity=\"0.75\">\n"
      for point in panel.marks where point.series == series { out += marker(series, frame.px(point.x), frame.py(point.y), size: 3.5) }
      out += "</g>\n"
    }
    return out
  }

  func drawBars(_ panel: Figure.Panel, _ frame: PanelFrame) -> String {
    var out = ""
    for series in seriesIndices(panel) {
      out += "<g class=\"series\" data-series=\"\(series)\">\n"
      for mark in panel.marks where mark.series == series {
        let (center, barWidth) = frame.grouped(mark, fill: 0.8)
        let x = center - barWidth / 2
        let (y0, y1) = (frame.py(max(mark.y, 0)), frame.py(min(mark.y, 0)))
        let rect = "x=\"\(n(x))\" y=\"\(n(y0))\" width=\"\(n(barWidth * 0.92))\" height=\"\(n(max(y1 - y0, 0.5)))\""
        out += "<rect class=\"bar\" \(rect) fill=\"\(Palette.colour(series))\"><title>\(escape(describe(mark)))</title></rect>\n"
        if series % Palette.hatches.count != 0 { out += "<rect \(rect) fill=\"url(#\(idPrefix)hatch\(series % Palette.hatches.count))\"/>\n" }
        out += runDots(mark, x: x + barWidth * 0.46, spread: barWidth * 0.6, py: frame.py, series: -1)
        out += errorBar(mark, x: x + barWidth * 0.46, py: frame.py, series: -1, cap: min(5, barWidth / 3))
      }
      out += "</g>\n"
    }
    return out
  }

  /// Boxes or violins, one per category and series, each with its runs behind when few.
  func drawDistributions(
    _ panel: Figure.Panel, _ frame: PanelFrame, draw: (Figure.Box, Double, Double, String, PanelFrame) -> String
  ) -> String {
    var out = ""
    for series in seriesIndices(panel) {
      out += "<g class=\"series\" data-series=\"\(series)\">\n"
      for mark in panel.marks where mark.series == series {
        guard let box = mark.box else { continue }
        let (x, share) = frame.grouped(mark, fill: 0.7)
        out += runDots(mark, x: x, spread: share * 0.5, py: frame.py, series: series)
        out += draw(box, x, share * 0.8, Palette.colour(series), frame)
      }
      out += "</g>\n"
    }
    return out
  }

  func drawCDF(_ panel: Figure.Panel, _ frame: PanelFrame) -> String {
    var out = ""
    let order = seriesIndices(panel)
    for series in order {
      var path = ""
      for (index, point) in panel.marks.filter({ $0.series == series }).enumerated() {
        path += index == 0 ? "M\(n(frame.px(point.x))),\(n(frame.py(0)))" : " H\(n(frame.px(point.x)))"
        path += " V\(n(frame.py(point.y)))"
      }
      out += "<path class=\"series\" data-series=\"\(series)\" d=\"\(path)\" fill=\"none\" stroke=\"\(Palette.colour(series))\" stroke-width=\"\(lineWidth(series, among: order))\"\(dash(series))/>\n"
    }
    return out
  }

  func drawHeatmap(_ panel: Figure.Panel, _ frame: PanelFrame) -> String {
    let values = figure.marks.compactMap(\.value)
    let (low, high) = (values.min() ?? 0, values.max() ?? 1)
    let rows = Double(max(figure.y.categories?.count ?? 1, 1))
    let (cellWidth, cellHeight) = (frame.slot, frame.height / rows)
    let unitScale = AxisScale(values: values, unit: figure.valueUnit, log: false, fromZero: false)
    var out = ""
    for mark in panel.marks {
      guard let value = mark.value else { continue }
      let t = high == low ? 0.5 : (value - low) / (high - low)
      let (x, y) = (frame.px(mark.x) - cellWidth / 2, frame.py(mark.y) - cellHeight / 2)
      out += "<rect class=\"cell\" x=\"\(n(x))\" y=\"\(n(y))\" width=\"\(n(cellWidth))\" height=\"\(n(cellHeight))\" fill=\"\(Palette.ramp(t))\"><title>\(escape(unitScale.describe(value)))</title></rect>\n"
      if cellWidth > 44, cellHeight > 16 {
        let text = NumberText.formatNumber(value / unitScale.factor, digits: 3)
        out += "<text x=\"\(n(x + cellWidth / 2))\" y=\"\(n(y + cellHeight / 2 + 4))\" text-anchor=\"middle\" font-size=\"11\" fill=\"\(Palette.rampIsLight(t) ? "#000000" : "#ffffff")\">\(escape(text))</text>\n"
      }
    }
    return out
  }
}
