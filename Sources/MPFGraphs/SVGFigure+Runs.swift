/// Each run behind a mean, drawn as a faint dot: the reader sees how many runs there were and
/// how they spread, not only their mean.
extension SVGFigure {
  /// The runs of `mark` as faint dots around `x`, spread sideways over `spread` pixels by a
  /// fixed jitter (the same picture every time).
  func runDots(_ mark: Figure.Mark, x: Double, spread: Double, py: (Double) -> Double, series: Int) -> String {
    let runs = mark.runValues
    guard !runs.isEmpty else { return "" }
    let colour = series < 0 ? "#222222" : Palette.colour(max(series, 0))
    var out = "<g class=\"runs\" fill=\"\(colour)\" fill-opacity=\"0.3\">"
    for (index, value) in runs.enumerated() {
      out += "<circle cx=\"\(n(x + SVGFigure.jitter(index) * spread))\" cy=\"\(n(py(value)))\" r=\"2.2\"/>"
    }
    return out + "</g>\n"
  }

  /// A fixed offset in -0.5...0.5 for the run at `index`: golden-ratio steps, evenly spread.
  static func jitter(_ index: Int) -> Double {
    let step = Double(index + 1) * 0.618_033_988_75
    return step - step.rounded(.down) - 0.5
  }
}
