/// A graph as mpf draws it: what is on each axis, the series, the panels (small multiples) and
/// the marks, already aggregated. `FigureBuilder` makes one from a table; `SVGFigure`,
/// `TerminalFigure` and `FigureData` (CSV + matplotlib) render the same figure.
package struct Figure: Sendable {
  package enum Kind: String, CaseIterable, Sendable {
    case line, bar, box, cdf, heatmap, scatter
  }

  package struct Axis: Sendable {
    /// The quantity shown (`goodput`), without its unit.
    package var name: String
    /// The base unit of the values (`bits/s`), nil for plain numbers or categories.
    package var unit: String?
    /// The category names when the axis is categorical (bars, heatmaps, box plots).
    package var categories: [String]?
    package var log = false
    /// Tick positions with their text, when the axis should show exactly these (a numeric
    /// variable with few values, or labels given by the script).
    package var fixedTicks: [(value: Double, text: String)]?

    package init(name: String, unit: String? = nil, categories: [String]? = nil, log: Bool = false) {
      (self.name, self.unit, self.categories, self.log) = (name, unit, categories, log)
    }
  }

  /// One drawn element: a point with its confidence interval (line, bar, scatter, cdf), a box
  /// (box), or a cell (heatmap: x and y are category indices, `value` its colour).
  package struct Mark: Sendable {
    package var series: Int
    /// The x value, or the category index on a categorical axis.
    package var x: Double
    /// The mean (line, bar), the value (scatter), the fraction (cdf), the row index (heatmap).
    package var y: Double
    /// The 95% confidence interval of the mean, when there are at least two samples.
    package var low: Double?
    package var high: Double?
    package var box: Box?
    /// A heatmap cell's value.
    package var value: Double?
    /// How many runs the mark stands for.
    package var count = 1

    package init(series: Int, x: Double, y: Double) { (self.series, self.x, self.y) = (series, x, y) }
  }

  /// Quartiles, whiskers (the furthest samples within 1.5 IQR) and the samples beyond them.
  package struct Box: Sendable {
    package var whiskerLow, q1, median, q3, whiskerHigh: Double
    package var outliers: [Double]
  }

  package struct Panel: Sendable {
    /// What the panel holds (`zerocopy = enabled`), nil when the figure has one panel.
    package var title: String?
    package var marks: [Mark] = []

    package init(title: String?, marks: [Mark] = []) { (self.title, self.marks) = (title, marks) }
  }

  package var kind: Kind
  package var title: String
  /// What the marks stand for, under the title (`mean of 5 runs, 95% CI`).
  package var subtitle: String?
  package var x: Axis
  package var y: Axis
  /// The series' names, in legend order; a mark's `series` indexes it. Empty: no legend.
  package var series: [String]
  /// What the series vary (`parallel, zerocopy`), shown above the legend.
  package var legendTitle: String?
  package var panels: [Panel]
  /// The unit of a heatmap's cell values (the result's).
  package var valueUnit: String?

  package init(kind: Kind, title: String, x: Axis, y: Axis, series: [String], panels: [Panel]) {
    (self.kind, self.title, self.x, self.y, self.series, self.panels) = (kind, title, x, y, series, panels)
  }

  /// Every mark of every panel.
  package var marks: [Mark] { panels.flatMap(\.marks) }
}
