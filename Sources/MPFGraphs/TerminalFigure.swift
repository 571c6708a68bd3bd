internal import MPFCore
import MPFSystem
import MPFText

/// A figure drawn with Unicode in a terminal, for the user logged in to a testbed over ssh:
/// lines, points and CDFs in braille dots (2×4 per character), bars and box plots as
/// horizontal bars, heatmaps as shaded cells. Each series has its own marker at its points, and
/// its own colour when `colour` is on.
package struct TerminalFigure {
  let figure: Figure
  let width: Int
  let height: Int
  let colour: Bool
  static let ansi = ["34", "31", "32", "35", "33", "36", "90", "37"]
  static let markers: [Character] = ["●", "■", "▲", "◆", "▼", "✖", "✚", "★"]

  /// - Parameters:
  ///   - width: the characters a line may use.
  ///   - height: the rows of the plotting area of each panel.
  package init(_ figure: Figure, width: Int = 80, height: Int = 16, colour: Bool = false) {
    (self.figure, self.width, self.height, self.colour) = (TerminalFigure.escaped(figure), max(width, 40), max(height, 6), colour)
  }

  /// The figure with every text it shows (names, categories, series, titles: from results and
  /// scripts) escaped for the terminal (`TerminalText`); only mpf's own colours reach it raw.
  static func escaped(_ figure: Figure) -> Figure {
    func text(_ s: String) -> String { TerminalText.escaped(s) }
    func axis(_ a: Figure.Axis) -> Figure.Axis {
      var a = a
      (a.name, a.unit, a.categories) = (text(a.name), a.unit.map(text), a.categories?.map(text))
      a.fixedTicks = a.fixedTicks?.map { ($0.value, text($0.text)) }
      return a
    }
    var out = figure
    (out.title, out.subtitle, out.legendTitle, out.valueUnit) = (text(figure.title), figure.subtitle.map(text), figure.legendTitle.map(text), figure.valueUnit.map(text))
    (out.x, out.y, out.series) = (axis(figure.x), axis(figure.y), figure.series.map(text))
    for index in out.panels.indices { out.panels[index].title = out.panels[index].title.map(text) }
    return out
  }

  package func render() -> String {
    var out = bold(figure.title) + "\n"
    if let subtitle = figure.subtitle { out += subtitle + "\n" }
    let (xScale, yScale) = SVGFigure(figure).scales
    for panel in figure.panels {
      if let title = panel.title { out += "\n" + bold(title) + "\n" }
      switch figure.kind {
      case .line, .scatter, .cdf: out += plot(panel, xScale: xScale, yScale: yScale)
      case .bar, .box, .violin: out += bars(panel, yScale: yScale)
      case .heatmap: out += heat(panel)
      }
    }
    if figure.series.count > 1, figure.kind != .heatmap {
      out += (figure.legendTitle.map { $0 + ": " } ?? "")
        + figure.legendOrder.map { paint("\(marker($0)) \(figure.series[$0])", $0) }.joined(separator: "   ") + "\n"
    }
    return out
  }

  // MARK: - Braille plot

  func plot(_ panel: Figure.Panel, xScale: AxisScale?, yScale: AxisScale?) -> String {
    guard let xScale, let yScale else { return "" }
    let yLabels = [yScale.high, (yScale.high + yScale.low) / 2, yScale.low].map { AxisScale.tickText($0 / yScale.factor, compact: true) }
    let gutter = (yLabels.map(\.count).max() ?? 1) + 1
    var canvas = BrailleCanvas(rows: height, columns: width - gutter - 1)
    draw(panel, on: &canvas, xScale: xScale, yScale: yScale)
    var out = ""
    for row in 0..<height {
      let label = row == 0 ? yLabels[0] : row == height / 2 ? yLabels[1] : row == height - 1 ? yLabels[2] : ""
      out += String(repeating: " ", count: gutter - 1 - label.count) + label + "┤" + canvas.text(ofRow: row, paint: paint) + "\n"
    }
    out += String(repeating: " ", count: gutter - 1) + "└" + String(repeating: "─", count: canvas.columns) + "\n"
    out += xTicks(xScale, gutter: gutter, columns: canvas.columns) + "\n"
    let xLabel = xScale.label(figure.x.name)
    out += String(repeating: " ", count: max(0, gutter + (canvas.columns - xLabel.count) / 2)) + xLabel + "\n"
    out += "y: " + yScale.label(figure.y.name) + "\n"
    return out
  }

  /// Each series' marks in dots: lines joined (with their intervals), CDFs as steps, points
  /// as markers.
  private func draw(_ panel: Figure.Panel, on canvas: inout BrailleCanvas, xScale: AxisScale, yScale: AxisScale) {
    let (dotsWide, dotsHigh) = (canvas.dotsWide, canvas.dotsHigh)
    // Off the area (or not finite, after an overflow) is clamped just outside it: not drawn.
    func px(_ v: Double) -> Int { NumberBounds.clampedInt(xScale.position(v) * Double(dotsWide - 1), to: -1...dotsWide, nan: -1) }
    func py(_ v: Double) -> Int { NumberBounds.clampedInt((1 - yScale.position(v)) * Double(dotsHigh - 1), to: -1...dotsHigh, nan: -1) }
    for series in Set(panel.marks.map(\.series)).sorted() {
      let points = panel.marks(of: series, sortedBy: { figure.kind == .cdf ? $0.y < $1.y : $0.x < $1.x })
      var previous: (Int, Int)?
      for point in points {
        let here = (px(point.x), py(point.y))
        switch figure.kind {
        case .line:
          if let previous { canvas.line(previous, here, series) }
          if let low = point.low, let high = point.high { canvas.line((here.0, py(low)), (here.0, py(high)), series) }
          canvas.mark(here.0, here.1, marker(series), series)
        case .cdf:
          if let previous {
            canvas.line(previous, (here.0, previous.1), series)
            canvas.line((here.0, previous.1), here, series)
          }
        default:
          canvas.mark(here.0, here.1, marker(series), series)
        }
        previous = here
      }
    }
  }

  /// The x tick labels under the area: where they fall, when they fit.
  private func xTicks(_ xScale: AxisScale, gutter: Int, columns: Int) -> String {
    var axis = Array(repeating: Character(" "), count: columns + gutter + 12)
    var free = 0
    for tick in xScale.ticks {
      let text = Array(tick.text)
      let at = gutter + NumberBounds.clampedInt(xScale.position(tick.value) * Double(columns - 1), to: -1...columns, nan: -1) - text.count / 2
      guard at >= free, at + text.count <= axis.count else { continue }
      for (i, c) in text.enumerated() { axis[at + i] = c }
      free = at + text.count + 1
    }
    return String(axis).trimmedEnd()
  }

  // MARK: - Bars

  func bars(_ panel: Figure.Panel, yScale: AxisScale?) -> String {
    guard let yScale else { return "" }
    let categories = figure.x.categories ?? [""]
    let names = panel.marks.map { mark -> String in
      let category = NumberBounds.checkedInt(mark.x).flatMap { categories.indices.contains($0) ? categories[$0] : nil } ?? ""
      return figure.series.count > 1 ? "\(category) \(marker(mark.series))" : category
    }
    let labelWidth = min(28, names.map(\.count).max() ?? 0)
    let valueTexts = panel.marks.map { mark -> String in
      var text = yScale.describe(mark.y)
      if let low = mark.low, let high = mark.high { text += " ± " + NumberText.formatNumber((high - low) / 2 / yScale.factor, digits: 2) }
      return text
    }
    let barWidth = max(10, width - labelWidth - (valueTexts.map(\.count).max() ?? 0) - 4)
    let top = max(yScale.high, 0)
    var out = ""
    for (index, mark) in panel.marks.enumerated() {
      let fraction = top > 0 ? max(0, mark.y) / top : 0
      let eighths = NumberBounds.clampedInt(fraction * Double(barWidth * 8), to: 0...barWidth * 8, nan: 0)
      let partial = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"][eighths % 8]
      let bar = String(repeating: "█", count: eighths / 8) + partial
      let name = names[index].count > labelWidth ? String(names[index].prefix(labelWidth - 1)) + "…" : names[index]
      out += name.padded(to: labelWidth) + " │" + paint(bar, mark.series) + " " + valueTexts[index] + "\n"
    }
    return out + "y: " + yScale.label(figure.y.name) + (figure.x.name.isEmpty ? "" : ", by \(figure.x.name)") + "\n"
  }

  // MARK: - Heatmap

  func heat(_ panel: Figure.Panel) -> String {
    let rows = figure.y.categories ?? [], columns = figure.x.categories ?? []
    let values = figure.marks.compactMap(\.value)
    let (low, high) = (values.min() ?? 0, values.max() ?? 1)
    let scale = AxisScale(values: values, unit: figure.valueUnit, log: false, fromZero: false)
    let cellWidth = max(6, min(12, (width - 14) / max(columns.count, 1)))
    let labelWidth = min(12, rows.map(\.count).max() ?? 0)
    var out = ""
    for row in (0..<rows.count).reversed() {
      out += rows[row].padded(to: labelWidth) + " "
      for column in 0..<columns.count {
        let mark = panel.marks.first { NumberBounds.checkedInt($0.x) == column && NumberBounds.checkedInt($0.y) == row }
        guard let value = mark?.value else { out += String(repeating: " ", count: cellWidth); continue }
        let t = high == low ? 0.5 : (value - low) / (high - low)
        let shade = ["░", "▒", "▓", "█"][NumberBounds.clampedInt(t * 4, to: 0...3, rounding: .down, nan: 0)]
        let text = NumberText.formatNumber(value / scale.factor, digits: 3)
        out += String(repeating: shade, count: max(1, cellWidth - text.count - 1)) + text.padded(to: text.count + 1, alignRight: true)
      }
      out += "\n"
    }
    out += String(repeating: " ", count: labelWidth + 1) + columns.map { String($0.prefix(cellWidth - 1)).padded(to: cellWidth, alignRight: true) }.joined() + "\n"
    return out + "\(figure.y.name) × \(figure.x.name): \(scale.label(figure.legendTitle ?? ""))\n"
  }

  // MARK: - Text

  func marker(_ series: Int) -> Character { TerminalFigure.markers[Palette.style(series).marker] }

  func paint(_ text: String, _ series: Int) -> String {
    colour && series >= 0 ? "\u{1B}[\(TerminalFigure.ansi[series % TerminalFigure.ansi.count])m\(text)\u{1B}[0m" : text
  }

  func bold(_ text: String) -> String { colour ? "\u{1B}[1m\(text)\u{1B}[0m" : text }
}

