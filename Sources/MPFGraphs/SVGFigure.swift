internal import MPFCore
import MPFSystem
import MPFText

/// A figure drawn as a standalone SVG file: axes with units, one panel per small multiple (all
/// on the same scales), the legend beside the panels so it never covers data.
///
/// Elements carry classes that say what they are (`series`, `errorbar`, `bar`, `legend-label`,
/// `tick`...), which the report's style and the tests use.
package struct SVGFigure {
  let figure: Figure
  let margin: (left: Double, right: Double, top: Double, bottom: Double)
  let panelWidth: Double, panelHeight: Double
  /// How category names under the x axis are drawn (rotated, thinned).
  let xCategories: TickLayout.Categories
  let font = "DejaVu Sans, Helvetica, Arial, sans-serif"
  /// Put before every id, so that several figures can share a page.
  package var idPrefix = ""

  package init(_ figure: Figure) {
    self.figure = figure
    // Many categories widen the panel; long names are slanted, with room made below.
    let categories = Double(figure.x.categories?.count ?? 0)
    let perCategory = figure.kind == .heatmap ? 40.0 : 12.0 * Double(max(figure.series.count, 1)) + 10
    let width = max(500, min(1600, 96 + categories * perCategory))
    let slot = (width - 96) / max(categories, 1)
    xCategories = TickLayout.categories(figure.x.categories ?? [], slot: slot)
    let below = 43 + xCategories.depth
    // Room on the left for the first category's label, when it runs past the y axis.
    let left = max(78, xCategories.reachLeft - slot / 2 + 12)
    margin = (left: left, right: 18, top: 30, bottom: below)
    panelWidth = width + left - 78
    panelHeight = 272 + below
  }

  /// The SVG document.
  package func render() -> String {
    var text = ""
    render { text += $0 }
    return text
  }

  /// The SVG document in pieces (the head, each panel, the legend), each passed to `emit`.
  package func render(_ emit: (String) throws -> Void) rethrows {
    let columns = min(3, max(1, figure.panels.count))
    let rowsOfPanels = (figure.panels.count + columns - 1) / columns
    let legend = legendWidth
    let width = Double(columns) * panelWidth + legend + 10
    let subtitleLines = TickLayout.wrapped(figure.subtitle ?? "", width: width - 28)
    let header = 40.0 + 18 * Double(subtitleLines.count)
    let height = header + Double(rowsOfPanels) * panelHeight + 8
    let (xScale, yScale) = scales
    var out = """
      <svg xmlns="http://www.w3.org/2000/svg" width="\(n(width))" height="\(n(height))" viewBox="0 0 \(n(width)) \(n(height))" font-family="\(font)" font-size="12">
      <title>\(escape(figure.title))</title>
      <defs>\(hatchPatterns)</defs>
      <rect width="100%" height="100%" fill="#ffffff"/>
      <text class="title" x="14" y="24" font-size="16" font-weight="bold">\(escape(figure.title))</text>

      """
    for (index, line) in subtitleLines.enumerated() {
      out += "<text class=\"subtitle\" x=\"14\" y=\"\(n(44 + 17 * Double(index)))\" fill=\"#555555\">\(escape(line))</text>\n"
    }
    try emit(out)
    for (index, panel) in figure.panels.enumerated() {
      let originX = Double(index % columns) * panelWidth
      let originY = header + Double(index / columns) * panelHeight
      try drawPanel(panel, at: (originX, originY), xScale: xScale, yScale: yScale, emit)
    }
    try emit(drawLegend(at: Double(columns) * panelWidth + 4, top: header + margin.top) + "</svg>\n")
  }

  // MARK: - Scales

  /// The x and y scales, shared by every panel (nil for a categorical axis).
  var scales: (AxisScale?, AxisScale?) {
    var xScale: AxisScale?
    if figure.x.categories == nil {
      let xs = figure.panels.lazy.map(\.marks.xValues).joined()
      xScale = AxisScale(values: xs, unit: figure.x.unit, log: figure.x.log, fromZero: false, fixed: figure.x.fixedTicks)
    }
    var yScale: AxisScale?
    if figure.y.categories == nil {
      // Every y, read in place, and what some marks have besides (intervals, boxes, runs).
      var more: [Double] = []
      for mark in figure.marks {
        if let low = mark.low, let high = mark.high { more += [low, high] }
        if let box = mark.box {
          more += [box.whiskerLow, box.whiskerHigh] + box.outliers
          if !box.density.isEmpty { more += [box.densityLow, box.densityHigh] }
        }
        more += mark.runValues
      }
      let values = figure.kind == .cdf ? [[0, 1]] : figure.panels.map(\.marks.yValues) + [more]
      let all = values.lazy.joined()
      let fromZero = figure.kind == .bar || figure.y.nonNegative && figure.kind != .cdf || (figure.kind == .line && all.allSatisfy { $0 >= 0 })
      yScale = AxisScale(values: all, unit: figure.y.unit, log: figure.y.log, fromZero: fromZero && !figure.y.log)
    }
    return (xScale, yScale)
  }

  // MARK: - Panel

  /// One panel, in three pieces (its axes, its marks, its end), each passed to `emit`.
  func drawPanel(_ panel: Figure.Panel, at origin: (Double, Double), xScale: AxisScale?, yScale: AxisScale?, _ emit: (String) throws -> Void) rethrows {
    let frame = PanelFrame(
      figure: figure, left: origin.0 + margin.left, top: origin.1 + margin.top,
      width: panelWidth - margin.left - margin.right, height: panelHeight - margin.top - margin.bottom, xScale: xScale, yScale: yScale)
    var out = "<g class=\"panel\">\n"
    if let title = panel.title {
      out += "<text class=\"panel-title\" x=\"\(n(frame.left + frame.width / 2))\" y=\"\(n(frame.top - 10))\" text-anchor=\"middle\" font-weight=\"bold\">\(escape(title))</text>\n"
    }
    out += yAxis(frame, originX: origin.0)
    out += xAxis(frame)
    try emit(out + "<g class=\"marks\">\n")
    try drawMarks(panel, frame, emit)
    try emit("</g>\n</g>\n")
  }

  func yAxis(_ frame: PanelFrame, originX: Double) -> String {
    var out = "<g class=\"axis y\">\n"
    if let yScale = frame.yScale {
      for tick in yScale.ticks {
        let y = frame.py(tick.value)
        out += "<line class=\"grid\" x1=\"\(n(frame.left))\" x2=\"\(n(frame.left + frame.width))\" y1=\"\(n(y))\" y2=\"\(n(y))\" stroke=\"#e4e4e4\"/>\n"
        out += "<text class=\"tick\" x=\"\(n(frame.left - 6))\" y=\"\(n(y + 4))\" text-anchor=\"end\">\(escape(tick.text))</text>\n"
      }
    } else if let categories = figure.y.categories {
      let step = TickLayout.rowStep(slot: frame.height / Double(max(categories.count, 1)))
      for (index, category) in categories.enumerated() where index % step == 0 {
        out += "<text class=\"tick\" x=\"\(n(frame.left - 6))\" y=\"\(n(frame.py(Double(index)) + 4))\" text-anchor=\"end\">\(escape(clip(category, 11)))</text>\n"
      }
    }
    let yLabel = frame.yScale?.label(figure.y.name) ?? figure.y.name
    out += "<text class=\"axis-label\" transform=\"translate(\(n(originX + 16)) \(n(frame.top + frame.height / 2))) rotate(-90)\" text-anchor=\"middle\">\(escape(yLabel))</text>\n"
    return out + "</g>\n"
  }

  func xAxis(_ frame: PanelFrame) -> String {
    let (left, right, bottom) = (frame.left, frame.left + frame.width, frame.bottom)
    var out = "<g class=\"axis x\">\n"
    out += xTicks(xScale: frame.xScale, px: frame.px, top: frame.top, bottom: bottom)
    let xLabel = frame.xScale?.label(figure.x.name) ?? figure.x.name
    out += "<text class=\"axis-label\" x=\"\(n((left + right) / 2))\" y=\"\(n(bottom + margin.bottom - 14))\" text-anchor=\"middle\">\(escape(xLabel))</text>\n"
    out += "<line x1=\"\(n(left))\" x2=\"\(n(right))\" y1=\"\(n(bottom))\" y2=\"\(n(bottom))\" stroke=\"#333333\"/>\n"
    out += "<line x1=\"\(n(left))\" x2=\"\(n(left))\" y1=\"\(n(frame.top))\" y2=\"\(n(bottom))\" stroke=\"#333333\"/>\n"
    return out + "</g>\n"
  }

  func seriesIndices(_ panel: Figure.Panel) -> [Int] {
    panel.marks.seriesPresent
  }

  func errorBar(_ mark: Figure.Mark, x: Double, py: (Double) -> Double, series: Int, cap: Double) -> String {
    guard let low = mark.low, let high = mark.high else { return "" }
    let colour = series < 0 ? "#222222" : Palette.colour(series)
    let (y0, y1) = (py(low), py(high))
    return "<g class=\"errorbar\" stroke=\"\(colour)\" stroke-width=\"1.2\">"
      + "<line x1=\"\(n(x))\" x2=\"\(n(x))\" y1=\"\(n(y0))\" y2=\"\(n(y1))\"/>"
      + "<line x1=\"\(n(x - cap))\" x2=\"\(n(x + cap))\" y1=\"\(n(y0))\" y2=\"\(n(y0))\"/>"
      + "<line x1=\"\(n(x - cap))\" x2=\"\(n(x + cap))\" y1=\"\(n(y1))\" y2=\"\(n(y1))\"/></g>\n"
  }

  func describe(_ mark: Figure.Mark) -> String {
    let scale = AxisScale(values: [mark.y], unit: figure.y.unit, log: false, fromZero: false)
    var text = scale.describe(mark.y)
    if let low = mark.low, let high = mark.high { text += " ± \(scale.describe((high - low) / 2))" }
    return text + " (\(mark.count) run\(mark.count == 1 ? "" : "s"))"
  }

  // MARK: - Legend

  var legendWidth: Double {
    if figure.kind == .heatmap { return 110 }
    guard figure.series.count > 1 || figure.legendTitle != nil else { return 0 }
    let longest = (figure.series + [figure.legendTitle ?? ""]).map(\.count).max() ?? 0
    return min(260, Double(longest) * 7.2 + 48)
  }

  func drawLegend(at left: Double, top: Double) -> String {
    if figure.kind == .heatmap { return drawColourBar(at: left, top: top) }
    guard legendWidth > 0 else { return "" }
    var out = "<g class=\"legend\">\n"
    var y = top + 6
    if let title = figure.legendTitle {
      out += "<text class=\"legend-title\" x=\"\(n(left))\" y=\"\(n(y))\" font-weight=\"bold\">\(escape(clip(title, 34)))</text>\n"
      y += 20
    }
    for series in figure.legendOrder {
      let name = figure.series[series]
      let colour = Palette.colour(series)
      switch figure.kind {
      case .bar, .box, .violin:
        out += "<rect x=\"\(n(left))\" y=\"\(n(y - 9))\" width=\"22\" height=\"12\" fill=\"\(colour)\"/>"
        // Boxes are not hatched: their legend is not either.
        if figure.kind == .bar, series % Palette.hatches.count != 0 {
          out += "<rect x=\"\(n(left))\" y=\"\(n(y - 9))\" width=\"22\" height=\"12\" fill=\"url(#\(idPrefix)hatch\(series % Palette.hatches.count))\"/>"
        }
      case .line, .cdf:
        out += "<line x1=\"\(n(left))\" x2=\"\(n(left + 26))\" y1=\"\(n(y - 4))\" y2=\"\(n(y - 4))\" stroke=\"\(colour)\" stroke-width=\"2\"\(dash(series))/>"
        if figure.kind == .line { out += marker(series, left + 13, y - 4) }
      case .scatter:
        out += marker(series, left + 13, y - 4)
      case .heatmap: break
      }
      out += "<text class=\"legend-label\" x=\"\(n(left + 32))\" y=\"\(n(y))\">\(escape(clip(name, 30)))</text>\n"
      y += 19
    }
    return out + "</g>\n"
  }

  func drawColourBar(at left: Double, top: Double) -> String {
    let values = figure.marks.compactMap(\.value)
    let (low, high) = (values.min() ?? 0, values.max() ?? 1)
    let height = panelHeight - margin.top - margin.bottom
    let unitScale = AxisScale(values: values, unit: figure.valueUnit, log: false, fromZero: false)
    var out = "<g class=\"legend\">\n"
    if let title = figure.legendTitle {
      out += "<text class=\"legend-title\" x=\"\(n(left))\" y=\"\(n(top - 8))\" font-weight=\"bold\">\(escape(clip(unitScale.label(title), 18)))</text>\n"
    }
    let steps = 24
    for step in 0..<steps {
      let t = Double(step) / Double(steps - 1)
      let y = top + height - Double(step + 1) * height / Double(steps)
      out += "<rect x=\"\(n(left))\" y=\"\(n(y))\" width=\"18\" height=\"\(n(height / Double(steps) + 0.5))\" fill=\"\(Palette.ramp(t))\"/>"
    }
    out += "\n"
    for t in [0.0, 0.5, 1.0] {
      let value = low + (high - low) * t
      out += "<text class=\"legend-label\" x=\"\(n(left + 24))\" y=\"\(n(top + height - t * height + 4))\">\(escape(NumberText.formatNumber(value / unitScale.factor, digits: 3)))</text>\n"
    }
    return out + "</g>\n"
  }

  // MARK: - Shapes

  func marker(_ series: Int, _ x: Double, _ y: Double, size: Double = 4.5) -> String {
    let colour = Palette.colour(series)
    let s = size
    switch Palette.marker(series) {
    case "circle": return "<circle cx=\"\(n(x))\" cy=\"\(n(y))\" r=\"\(n(s))\" fill=\"\(colour)\"/>"
    case "square": return "<rect x=\"\(n(x - s))\" y=\"\(n(y - s))\" width=\"\(n(2 * s))\" height=\"\(n(2 * s))\" fill=\"\(colour)\"/>"
    case "triangle": return polygon([(x, y - s * 1.2), (x + s * 1.1, y + s * 0.8), (x - s * 1.1, y + s * 0.8)], colour)
    case "diamond": return polygon([(x, y - s * 1.3), (x + s, y), (x, y + s * 1.3), (x - s, y)], colour)
    case "triangle-down": return polygon([(x, y + s * 1.2), (x + s * 1.1, y - s * 0.8), (x - s * 1.1, y - s * 0.8)], colour)
    case "cross":
      return "<path d=\"M\(n(x - s)),\(n(y - s)) L\(n(x + s)),\(n(y + s)) M\(n(x - s)),\(n(y + s)) L\(n(x + s)),\(n(y - s))\" stroke=\"\(colour)\" stroke-width=\"2.2\"/>"
    case "plus":
      return "<path d=\"M\(n(x - s * 1.2)),\(n(y)) L\(n(x + s * 1.2)),\(n(y)) M\(n(x)),\(n(y - s * 1.2)) L\(n(x)),\(n(y + s * 1.2))\" stroke=\"\(colour)\" stroke-width=\"2.4\"/>"
    default:
      let points = (0..<10).map { i -> (Double, Double) in
        let angle = Double(i) * Double.pi / 5 - Double.pi / 2
        let radius = i % 2 == 0 ? s * 1.4 : s * 0.6
        return (x + radius * cos(angle), y + radius * sin(angle))
      }
      return polygon(points, colour)
    }
  }

  func polygon(_ points: [(Double, Double)], _ colour: String) -> String {
    "<polygon points=\"\(points.map { "\(n($0.0)),\(n($0.1))" }.joined(separator: " "))\" fill=\"\(colour)\"/>"
  }

  func dash(_ series: Int) -> String {
    let pattern = Palette.dash(series)
    return pattern.isEmpty ? "" : " stroke-dasharray=\"\(pattern)\""
  }

  /// White hatches over coloured bars: they survive a black-and-white print.
  var hatchPatterns: String {
    let shapes = [
      "", "<path d=\"M-2,2 l4,-4 M0,8 l8,-8 M6,10 l4,-4\"/>", "<path d=\"M-2,6 l4,4 M0,0 l8,8 M6,-2 l4,4\"/>",
      "<path d=\"M0,0 l8,8 M8,0 l-8,8\"/>", "<path d=\"M0,4 h8\"/>", "<path d=\"M4,0 v8\"/>",
      "<circle cx=\"4\" cy=\"4\" r=\"1.3\" fill=\"#ffffff\"/>", "<path d=\"M0,4 h8 M4,0 v8\"/>",
    ]
    return shapes.enumerated().dropFirst().map { index, shape in
      "<pattern id=\"\(idPrefix)hatch\(index)\" width=\"8\" height=\"8\" patternUnits=\"userSpaceOnUse\"><g stroke=\"#ffffff\" stroke-width=\"1.6\">\(shape)</g></pattern>"
    }.joined()
  }
}

/// A coordinate written with at most two decimals.
func n(_ value: Double) -> String {
  guard value.isFinite else { return "0" }
  let rounded = (value * 100).rounded() / 100
  if let whole = NumberBounds.checkedInt(rounded), Double(whole) == rounded { return String(whole) }
  return NumberText.formatNumber(rounded, digits: 12)
}

/// Text made safe inside XML.
func escape(_ text: String) -> String { text.escapingMarkup }

func clip(_ text: String, _ length: Int) -> String {
  text.count <= length ? text : String(text.prefix(length - 1)) + "…"
}
