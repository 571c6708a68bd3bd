/// A distribution drawn at one x: a box (quartiles, whiskers, outliers) or a violin (the
/// estimated density, mirrored, with the quartiles inside).
extension SVGFigure {
  func drawBox(_ box: Figure.Box, x: Double, width w: Double, colour: String, frame: PanelFrame) -> String {
    let py = frame.py
    var out = "<g class=\"box\">"
    out += "<line x1=\"\(n(x))\" x2=\"\(n(x))\" y1=\"\(n(py(box.whiskerLow)))\" y2=\"\(n(py(box.q1)))\" stroke=\"\(colour)\"/>"
    out += "<line x1=\"\(n(x))\" x2=\"\(n(x))\" y1=\"\(n(py(box.q3)))\" y2=\"\(n(py(box.whiskerHigh)))\" stroke=\"\(colour)\"/>"
    for whisker in [box.whiskerLow, box.whiskerHigh] {
      out += "<line x1=\"\(n(x - w / 4))\" x2=\"\(n(x + w / 4))\" y1=\"\(n(py(whisker)))\" y2=\"\(n(py(whisker)))\" stroke=\"\(colour)\"/>"
    }
    out += "<rect x=\"\(n(x - w / 2))\" y=\"\(n(py(box.q3)))\" width=\"\(n(w))\" height=\"\(n(max(py(box.q1) - py(box.q3), 0.5)))\" fill=\"\(colour)\" fill-opacity=\"0.25\" stroke=\"\(colour)\" stroke-width=\"1.5\"/>"
    out += "<line class=\"median\" x1=\"\(n(x - w / 2))\" x2=\"\(n(x + w / 2))\" y1=\"\(n(py(box.median)))\" y2=\"\(n(py(box.median)))\" stroke=\"\(colour)\" stroke-width=\"2.5\"/>"
    for outlier in box.outliers {
      out += "<circle cx=\"\(n(x))\" cy=\"\(n(py(outlier)))\" r=\"2.5\" fill=\"none\" stroke=\"\(colour)\"/>"
    }
    return out + "</g>\n"
  }

  func drawViolin(_ box: Figure.Box, x: Double, width w: Double, colour: String, frame: PanelFrame) -> String {
    let py = frame.py
    var out = "<g class=\"violin\">"
    let density = box.density
    if let peak = density.max(), peak > 0, density.count > 1 {
      let step = (box.densityHigh - box.densityLow) / Double(density.count - 1)
      let right = density.enumerated().map { (x + $1 / peak * w / 2, py(box.densityLow + Double($0) * step)) }
      let left = right.reversed().map { (2 * x - $0.0, $0.1) }
      let path = (right + left).enumerated().map { "\($0 == 0 ? "M" : "L")\(n($1.0)),\(n($1.1))" }.joined(separator: " ")
      out += "<path d=\"\(path) Z\" fill=\"\(colour)\" fill-opacity=\"0.3\" stroke=\"\(colour)\" stroke-width=\"1.2\"/>"
    }
    out += "<line x1=\"\(n(x))\" x2=\"\(n(x))\" y1=\"\(n(py(box.q1)))\" y2=\"\(n(py(box.q3)))\" stroke=\"\(colour)\" stroke-width=\"4\"/>"
    out += "<circle class=\"median\" cx=\"\(n(x))\" cy=\"\(n(py(box.median)))\" r=\"3\" fill=\"#ffffff\" stroke=\"\(colour)\" stroke-width=\"1.5\"/>"
    return out + "</g>\n"
  }
}
