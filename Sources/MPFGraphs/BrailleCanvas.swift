import MPFSystem

/// A plotting area of `rows` × `columns` terminal cells, each 2×4 braille dots, with a marker
/// character per cell on top: what `TerminalFigure` draws lines, points and CDFs on.
struct BrailleCanvas {
  let rows: Int
  let columns: Int
  var dotsWide: Int { columns * 2 }
  var dotsHigh: Int { rows * 4 }
  /// Per cell: the dots set, and the series that set the last one (its colour).
  private(set) var cells: [[(bits: UInt8, series: Int)]]
  private(set) var markers: [[(Character, Int)?]]

  init(rows: Int, columns: Int) {
    (self.rows, self.columns) = (rows, columns)
    cells = Array(repeating: Array(repeating: (bits: UInt8(0), series: -1), count: columns), count: rows)
    markers = Array(repeating: Array(repeating: nil, count: columns), count: rows)
  }

  /// One dot; off the area, nothing.
  mutating func dot(_ x: Int, _ y: Int, _ series: Int) {
    guard x >= 0, x < dotsWide, y >= 0, y < dotsHigh else { return }
    let (cx, cy) = (x / 2, y / 4)
    let bit: UInt8 = [[0x01, 0x02, 0x04, 0x40], [0x08, 0x10, 0x20, 0x80]][x % 2][y % 4]
    cells[cy][cx].bits |= bit
    cells[cy][cx].series = series
  }

  /// The dots from `a` to `b`, both included.
  mutating func line(_ a: (Int, Int), _ b: (Int, Int), _ series: Int) {
    let steps = max(abs(b.0 - a.0), abs(b.1 - a.1), 1)
    for i in 0...steps {
      let t = Double(i) / Double(steps)
      dot(
        a.0 + NumberBounds.clampedInt(Double(b.0 - a.0) * t, to: -dotsWide...dotsWide, nan: 0),
        a.1 + NumberBounds.clampedInt(Double(b.1 - a.1) * t, to: -dotsHigh...dotsHigh, nan: 0), series)
    }
  }

  /// A marker in the cell of dot (x, y), when the dot is on the area (or just past its far edges).
  mutating func mark(_ x: Int, _ y: Int, _ character: Character, _ series: Int) {
    guard x >= 0, y >= 0 else { return }
    markers[min(y / 4, rows - 1)][min(x / 2, columns - 1)] = (character, series)
  }

  /// Row `row`'s characters, each painted by `paint` with its series.
  func text(ofRow row: Int, paint: (String, Int) -> String) -> String {
    var out = ""
    for column in 0..<columns {
      if let (character, series) = markers[row][column] {
        out += paint(String(character), series)
      } else {
        let cell = cells[row][column]
        out += cell.bits == 0 ? " " : paint(String(Character(Unicode.Scalar(0x2800 + UInt32(cell.bits))!)), cell.series)
      }
    }
    return out
  }
}
