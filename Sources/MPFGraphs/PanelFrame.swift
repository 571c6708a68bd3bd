/// Where one panel of a figure sits on the page and how values map to pixels in it: the
/// shared x and y scales (nil for a categorical axis), or the category slots.
struct PanelFrame {
  let figure: Figure
  let left: Double, top: Double, width: Double, height: Double
  let xScale: AxisScale?, yScale: AxisScale?

  var bottom: Double { top + height }

  /// The pixel column of an x value (or category index).
  func px(_ value: Double) -> Double {
    if let categories = figure.x.categories { return left + (value + 0.5) / Double(max(categories.count, 1)) * width }
    return left + (xScale?.position(value) ?? 0.5) * width
  }

  /// The pixel row of a y value (or category index).
  func py(_ value: Double) -> Double {
    if let categories = figure.y.categories { return bottom - (value + 0.5) / Double(max(categories.count, 1)) * height }
    return bottom - (yScale?.position(value) ?? 0.5) * height
  }

  /// The width of one x category.
  var slot: Double { width / Double(max(figure.x.categories?.count ?? 1, 1)) }

  /// Bars and boxes side by side in their category: the series share `fill` of its slot;
  /// the center of this mark's share, and the share's width.
  func grouped(_ mark: Figure.Mark, fill: Double) -> (center: Double, each: Double) {
    let each = slot * fill / Double(max(figure.series.count, 1))
    return (px(mark.x) - slot * fill / 2 + (Double(mark.series) + 0.5) * each, each)
  }
}
