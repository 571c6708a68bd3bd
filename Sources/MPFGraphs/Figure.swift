/// A graph as mpf draws it: what is on each axis, the series, the panels (small multiples) and
/// the marks, already aggregated. `FigureBuilder` makes one from a table; `SVGFigure`,
/// `TerminalFigure` and `FigureData` (CSV + matplotlib) render the same figure.
package struct Figure: Sendable {
  package enum Kind: String, CaseIterable, Sendable {
    case line, bar, box, violin, cdf, heatmap, scatter
  }

  package struct Axis: Sendable {
    /// The quantity shown (`goodput`), without its unit.
    package var name: String
    /// The base unit of the values (`bits/s`), nil for plain numbers or categories.
    package var unit: String?
    /// The category names when the axis is categorical (bars, heatmaps, box plots).
    package var categories: [String]?
    package var log = false
    /// Whether the quantity is never negative (a time, a rate, a size, or every value ≥ 0):
    /// its axis starts at 0 and intervals are clipped there.
    package var nonNegative = false
    /// Tick positions with their text, when the axis should show exactly these (a numeric
    /// variable with few values, or labels given by the script).
    package var fixedTicks: [(value: Double, text: String)]?

    package init(name: String, unit: String? = nil, categories: [String]? = nil, log: Bool = false) {
      (self.name, self.unit, self.categories, self.log) = (name, unit, categories, log)
    }
  }

  /// One drawn element: a point with its confidence interval (line, bar, scatter, cdf), a box
  /// (box), or a cell (heatmap: x and y are category indices, `value` its colour).
  /// Optional numbers are NaN inside, and a box, which few marks have, is held apart; a panel
  /// keeps its marks by column (`Marks`).
  package struct Mark: Sendable {
    var seriesIndex: Int32
    var runs: Int32 = 1
    /// The x value, or the category index on a categorical axis.
    package var x: Double
    /// The mean (line, bar), the value (scatter), the fraction (cdf), the row index (heatmap).
    package var y: Double
    var lowValue = Double.nan
    var highValue = Double.nan
    var cell = Double.nan
    var extra: Extra?

    package init(series: Int, x: Double, y: Double) { (self.seriesIndex, self.x, self.y) = (Int32(clamping: series), x, y) }

    package var series: Int {
      get { Int(seriesIndex) }
      set { seriesIndex = Int32(clamping: newValue) }
    }
    /// How many runs the mark stands for.
    package var count: Int {
      get { Int(runs) }
      set { runs = Int32(clamping: newValue) }
    }
    /// The 95% confidence interval of the mean, when there are at least two samples.
    package var low: Double? {
      get { lowValue.isNaN ? nil : lowValue }
      set { lowValue = newValue ?? .nan }
    }
    package var high: Double? {
      get { highValue.isNaN ? nil : highValue }
      set { highValue = newValue ?? .nan }
    }
    /// A heatmap cell's value.
    package var value: Double? {
      get { cell.isNaN ? nil : cell }
      set { cell = newValue ?? .nan }
    }
    package var box: Box? {
      get { extra?.box }
      set { extra = Extra(box: newValue, runs: runValues) }
    }
    /// Every run's value behind a mean, kept when there are few (≤ `Figure.runsShown`): each
    /// is drawn as a faint dot.
    package var runValues: [Double] {
      get { extra?.runs ?? [] }
      set { extra = Extra(box: box, runs: newValue) }
    }
  }

  /// Quartiles, whiskers (the furthest samples within 1.5 IQR) and the samples beyond them.
  package struct Box: Sendable {
    package var whiskerLow, q1, median, q3, whiskerHigh: Double
    package var outliers: [Double]
    /// A violin's estimated density at evenly spaced values from `densityLow` to
    /// `densityHigh` (empty for a box).
    package var density: [Double] = []
    package var densityLow = 0.0, densityHigh = 0.0
  }

  /// What few marks have, held apart so that a mark stays small.
  final class Extra: Sendable {
    let box: Box?
    let runs: [Double]
    init(box: Box?, runs: [Double]) { (self.box, self.runs) = (box, runs) }
  }

  /// The most runs behind a mark for which each run is drawn.
  package static let runsShown = 30

  package struct Panel: Sendable {
    /// What the panel holds (`zerocopy = enabled`), nil when the figure has one panel.
    package var title: String?
    package var marks = Marks()

    package init(title: String?, marks: Marks = []) { (self.title, self.marks) = (title, marks) }

    /// The marks of one series in the given order (see `Marks.marks(of:sortedBy:)`).
    package func marks(of series: Int, sortedBy before: (Mark, Mark) -> Bool) -> Marks {
      marks.marks(of: series, sortedBy: before)
    }
  }

  package var kind: Kind
  package var title: String
  /// What the marks stand for, under the title (`mean of 5 runs, 95% CI`).
  package var subtitle: String?
  package var x: Axis
  package var y: Axis
  /// The series' names, in legend order; a mark's `series` indexes it. Empty: no legend.
  package var series: [String]
  /// The series in the order the legend lists them, top to bottom: for lines, by the value
  /// each ends at (highest first), so that the legend reads like the lines' ends.
  package var legendOrder: [Int] { endOrder ?? Array(series.indices) }
  package var endOrder: [Int]?
  /// What the series vary (`parallel, zerocopy`), shown above the legend.
  package var legendTitle: String?
  package var panels: [Panel]
  /// The unit of a heatmap's cell values (the result's).
  package var valueUnit: String?

  /// Units whose quantity cannot be below zero: times, sizes, rates (anything per second).
  package static func unitIsNonNegative(_ unit: String?) -> Bool {
    guard let unit, !unit.isEmpty else { return false }
    let units: Set<String> = ["s", "ms", "us", "µs", "ns", "bits", "bytes", "B", "%", "packets", "requests"]
    return units.contains(unit) || unit.hasSuffix("/s")
  }

  package init(kind: Kind, title: String, x: Axis, y: Axis, series: [String], panels: [Panel]) {
    (self.kind, self.title, self.x, self.y, self.series, self.panels) = (kind, title, x, y, series, panels)
  }

  /// Every mark of every panel, read in place (not copied).
  package var marks: FlattenSequence<LazyMapSequence<[Panel], Marks>> { panels.lazy.map(\.marks).joined() }
}
