internal import MPFCore
internal import MPFResults
import MPFSystem
import MPFText

/// What a figure draws as a CSV file, and a short matplotlib script that draws the same figure
/// from it: for the user who wants to tweak a graph for a paper. Values are in the axes' units
/// (`Gbit/s` when the axis says so), exactly as plotted.
package struct FigureData {
  let figure: Figure
  let xScale: AxisScale?
  let yScale: AxisScale?

  /// How the SVG lays out category labels (rotated, thinned): the script does the same.
  let layout: TickLayout.Categories

  package init(_ figure: Figure) {
    self.figure = figure
    let svg = SVGFigure(figure)
    (xScale, yScale) = svg.scales
    layout = svg.xCategories
  }

  /// The category labels as the SVG writes them: cut at `TickLayout.longestLabel`, and
  /// empty for the ones thinned out.
  var categoryLabels: [String] {
    (figure.x.categories ?? []).enumerated().map { index, name in
      index % layout.step == 0 ? clip(name, TickLayout.longestLabel) : ""
    }
  }

  /// The CSV: a header line, then one line per mark.
  package func csv() -> String {
    var text = ""
    csv { text += $0 }
    return text
  }

  /// The CSV in pieces of about 64 KiB, each passed to `emit`: a line of 100 000 points is
  /// never whole in memory.
  package func csv(_ emit: (String) throws -> Void) rethrows {
    let xFactor = xScale?.factor ?? 1, yFactor = yScale?.factor ?? 1
    var out = header + "\n"
    out.reserveCapacity(1 << 16 + 1024)
    func x(_ mark: Figure.Mark) -> String {
      if let categories = figure.x.categories { return field((NumberBounds.checkedInt(mark.x).flatMap { categories.indices.contains($0) ? categories[$0] : nil } ?? "")) }
      return number(mark.x / xFactor)
    }
    func series(_ mark: Figure.Mark) -> String { figure.series.indices.contains(mark.series) ? field(figure.series[mark.series]) : "" }
    func line(_ fields: String...) { line(fields) }
    func line(_ fields: [String]) {
      for (index, field) in fields.enumerated() {
        if index > 0 { out += "," }
        out += field
      }
      out += "\n"
    }
    let valueScale = figure.kind == .heatmap
      ? AxisScale(values: figure.marks.compactMap(\.value), unit: figure.valueUnit, log: false, fromZero: false) : nil
    for panel in figure.panels {
      let panelName = field(panel.title ?? "")
      for mark in panel.marks {
        if out.utf8.count >= 1 << 16 {
          try emit(out)
          out.removeAll(keepingCapacity: true)
        }
        switch figure.kind {
        case .line, .bar, .scatter:
          let low = mark.low.map { number($0 / yFactor) } ?? "", high = mark.high.map { number($0 / yFactor) } ?? ""
          let each = mark.runValues.map { number($0 / yFactor) }.joined(separator: " ")
          line(panelName, series(mark), x(mark), number(mark.y / yFactor), low, high, String(mark.count), each)
        case .box, .violin:
          guard let box = mark.box else { continue }
          let values = [box.whiskerLow, box.q1, box.median, box.q3, box.whiskerHigh].map { number($0 / yFactor) }
          let each = mark.runValues.map { number($0 / yFactor) }.joined(separator: " ")
          var fields = [panelName, series(mark), x(mark)] + values + [String(mark.count), each]
          if figure.kind == .violin {
            fields += [number(box.densityLow / yFactor), number(box.densityHigh / yFactor), box.density.map(number).joined(separator: " ")]
          }
          line(fields)
        case .cdf:
          line(panelName, series(mark), number(mark.x / xFactor), number(mark.y))
        case .heatmap:
          line(panelName, x(mark), field(NumberBounds.checkedInt(mark.y).flatMap { figure.y.categories?.indices.contains($0) == true ? figure.y.categories?[$0] : nil } ?? ""), number((mark.value ?? 0) / (valueScale?.factor ?? 1)))
        }
      }
    }
    try emit(out)
  }

  var header: String {
    switch figure.kind {
    case .line, .bar, .scatter: "panel,series,x,y,y_low,y_high,runs,each_run"
    case .box: "panel,series,x,whisker_low,q1,median,q3,whisker_high,runs,each_run"
    case .violin: "panel,series,x,whisker_low,q1,median,q3,whisker_high,runs,each_run,density_low,density_high,density"
    case .cdf: "panel,series,x,fraction"
    case .heatmap: "panel,x,y,value"
    }
  }

  /// A Python script that reads `csvName` (beside it) and draws the figure with matplotlib,
  /// writing `pngName`.
  package func matplotlib(csvName: String, pngName: String) -> String {
    scriptHeader(csvName: csvName) + kindCode() + axisCode() + scriptFooter(pngName: pngName)
  }

  /// The script up to the loop over panels: the data, the styles, the helpers.
  func scriptHeader(csvName: String) -> String {
    let script = """
      #!/usr/bin/env python3
      # Redraws the figure titled TITLE below from the CSV file beside it (CSV_NAME), the
      # data mpf drew it from. Edit freely, then run this file with python3.
      # (Names from results are only ever in string literals, never in these comments.)
      import csv, os
      import matplotlib
      matplotlib.use("Agg")
      import matplotlib.pyplot as plt

      HERE = os.path.dirname(os.path.abspath(__file__))
      TITLE = \(python(figure.title))
      CSV_NAME = \(python(csvName))
      with open(os.path.join(HERE, CSV_NAME), newline="") as f:
          rows = list(csv.DictReader(f))
      COLOURS = [\(Palette.colours.map(python).joined(separator: ", "))]
      MARKERS = [\(Palette.matplotlibMarkers.map(python).joined(separator: ", "))]
      DASHES = [\(Palette.matplotlibDashes.map { $0.hasPrefix("(") ? $0 : python($0) }.joined(separator: ", "))]
      HATCHES = [\(Palette.hatches.map(python).joined(separator: ", "))]
      SERIES = [\(figure.series.map(python).joined(separator: ", "))]
      LEGEND_ORDER = [\(figure.legendOrder.map(String.init).joined(separator: ", "))]
      PANELS = [\(figure.panels.map { python($0.title ?? "") }.joined(separator: ", "))]
      CATEGORIES = [\((figure.x.categories ?? []).map(python).joined(separator: ", "))]
      # The category labels as mpf writes them: long ones cut, every STEP-th when dense, rotated when wide.
      TICK_LABELS = [\(categoryLabels.map(python).joined(separator: ", "))]
      ROTATION = \(layout.rotated ? 45 : 0)
      ROWS = [\((figure.y.categories ?? []).map(python).joined(separator: ", "))]

      columns = min(3, len(PANELS))
      lines = (len(PANELS) + columns - 1) // columns
      fig, axes = plt.subplots(lines, columns, figsize=(max(5, 0.22 * len(CATEGORIES) * (1 + len(SERIES) // 3)) * columns + 1.5, 3.6 * lines), squeeze=False, sharex=True, sharey=True)
      for spare in axes.flat[len(PANELS):]:
          spare.set_visible(False)

      def style(s):
          # Colour, marker and dash of series s: never the same three for two series (as mpf draws it).
          a, b = (s // 8) % 8, (s // 64) % 8
          return COLOURS[s % 8], MARKERS[(s + a) % 8], DASHES[(s + a + b) % 8]

      def category_ticks(ax):
          ax.set_xticks(range(len(CATEGORIES)))
          ax.set_xticklabels(TICK_LABELS, rotation=ROTATION, ha="right" if ROTATION else "center", rotation_mode="anchor")

      def num(text):
          return float(text) if text != "" else None

      def grouped(rows, s, name, span):
          # Series s's rows, and their places beside the other series' in each category.
          points = [r for r in rows if r["series"] == name]
          width = span / max(len(SERIES), 1)
          return points, [CATEGORIES.index(r["x"]) - span / 2 + (s + 0.5) * width for r in points], width

      def each_run(ax, xs, points, spread, colour):
          # Every run behind a mean, a faint dot with a fixed jitter (as mpf draws it).
          for x, r in zip(xs, points):
              values = [float(v) for v in r.get("each_run", "").split()]
              offsets = [((i + 1) * 0.61803398875) % 1 - 0.5 for i in range(len(values))]
              ax.scatter([x + o * spread for o in offsets], values, s=8, color=colour, alpha=0.3, linewidths=0, zorder=1)

      for p, panel in enumerate(PANELS):
          ax = axes.flat[p]
          mine = [r for r in rows if r["panel"] == panel]
          if panel:
              ax.set_title(panel, fontsize=10)

      """
    return script
  }

  /// Ticks and limits as the SVG has them, for every panel.
  func axisCode() -> String {
    var script = ""
    if let ticks = figure.x.fixedTicks, figure.x.categories == nil {
      script += """
            ax.set_xticks([\(ticks.map { PythonText.number($0.value / (xScale?.factor ?? 1)) }.joined(separator: ", "))])
            ax.set_xticklabels([\(ticks.map { python($0.text) }.joined(separator: ", "))])

        """
    }
    if let yScale, !figure.y.log, figure.kind != .heatmap {
      script += """
            ax.set_ylim(\(PythonText.number(yScale.low / yScale.factor)), \(PythonText.number(yScale.high / yScale.factor)))

        """
    }
    return script
  }

  /// Labels, title, legend, and the PNG written.
  func scriptFooter(pngName: String) -> String {
    let xLabel = xScale?.label(figure.x.name) ?? figure.x.name
    let yLabel = yScale?.label(figure.y.name) ?? figure.y.name
    var script = ""
    script += """
          ax.grid(True, color="#e4e4e4")
          if \(figure.x.log ? "True" : "False"):
              ax.set_xscale("log")
          if \(figure.y.log ? "True" : "False"):
              ax.set_yscale("log")

      for ax in axes[-1]:
          ax.set_xlabel(\(python(xLabel)))
      for ax in axes[:, 0]:
          ax.set_ylabel(\(python(yLabel)))
      fig.suptitle(TITLE + \(python(figure.subtitle.map { "\n" + $0 } ?? "")), fontsize=11)
      if len(SERIES) > 1:
          handles, names = axes.flat[0].get_legend_handles_labels()
          by_name = dict(zip(names, handles))
          ordered = [SERIES[s] for s in LEGEND_ORDER if SERIES[s] in by_name]
          fig.legend([by_name[name] for name in ordered], ordered, title=\(figure.legendTitle.map(python) ?? "None"), loc="center left", bbox_to_anchor=(1.0, 0.5))
      fig.tight_layout()
      fig.savefig(os.path.join(HERE, \(python(pngName))), bbox_inches="tight", dpi=150)

      """
    return script
  }

  /// A number in its shortest form, without the noise of a division (12 significant digits).
  func number(_ value: Double) -> String { NumberText.formatNumber(value, digits: 12) }

  func field(_ text: String) -> String { DataFrame.csvField(text) }

  /// A Python string literal: the only way text from a figure enters the script.
  func python(_ text: String) -> String { PythonText.string(text) }
}
