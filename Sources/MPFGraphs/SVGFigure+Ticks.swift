/// The x axis's tick labels, laid out by `TickLayout` so that none overlaps another.
extension SVGFigure {
  func xTicks(xScale: AxisScale?, px: (Double) -> Double, top: Double, bottom: Double) -> String {
    var out = ""
    if let xScale {
      let ticks = xScale.ticks.map { (position: px($0.value), text: $0.text) }
      for tick in ticks {
        out += "<line class=\"grid\" x1=\"\(n(tick.position))\" x2=\"\(n(tick.position))\" y1=\"\(n(top))\" y2=\"\(n(bottom))\" stroke=\"#f0f0f0\"/>\n"
      }
      for index in TickLayout.thinned(ticks) {
        out += "<text class=\"tick\" x=\"\(n(ticks[index].position))\" y=\"\(n(bottom + 17))\" text-anchor=\"middle\">\(escape(ticks[index].text))</text>\n"
      }
    } else if let categories = figure.x.categories {
      let layout = xCategories
      for (index, category) in categories.enumerated() where index % layout.step == 0 {
        let x = px(Double(index))
        if layout.rotated {
          out += "<text class=\"tick\" transform=\"translate(\(n(x + 4)) \(n(bottom + 12))) rotate(-45)\" text-anchor=\"end\">\(escape(clip(category, TickLayout.longestLabel)))</text>\n"
        } else {
          out += "<text class=\"tick\" x=\"\(n(x))\" y=\"\(n(bottom + 17))\" text-anchor=\"middle\">\(escape(category))</text>\n"
        }
      }
    }
    return out
  }
}
