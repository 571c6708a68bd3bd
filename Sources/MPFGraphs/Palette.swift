/// Colours, markers, dashes and hatches that tell series apart in colour, for colour-blind
/// readers (Okabe and Ito's palette), and in a black-and-white print (each series also has
/// its own marker, dash and hatch).
package enum Palette {
  package static let colours = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#999933"]
  package static let markers = ["circle", "square", "triangle", "diamond", "triangle-down", "cross", "plus", "star"]
  /// SVG stroke-dasharray values; "" is a solid line.
  package static let dashes = ["", "7 3", "2 3", "8 3 2 3", "12 4", "4 2 1 2", "1 1", "10 2 2 2 2 2"]
  /// matplotlib's names for the same markers and dashes.
  package static let matplotlibMarkers = ["o", "s", "^", "D", "v", "x", "P", "*"]
  package static let matplotlibDashes = ["-", "--", ":", "-.", "(0, (12, 4))", "(0, (4, 2, 1, 2))", "(0, (1, 1))", "(0, (10, 2, 2, 2, 2, 2))"]
  package static let hatches = ["", "//", "\\\\", "xx", "--", "||", "..", "++"]

  package static func colour(_ series: Int) -> String { colours[style(series).colour] }
  package static func marker(_ series: Int) -> String { markers[style(series).marker] }
  package static func dash(_ series: Int) -> String { dashes[style(series).dash] }

  /// The colour, marker and dash of a series, as indices: the first 8 series differ in all
  /// three; past 8 the marker and then the dash shift, so that no two of the first 512 series
  /// share the same triple (series = colour + 8 a + 64 b gives marker colour + a, dash
  /// colour + a + b, all mod 8: a one-to-one map).
  package static func style(_ series: Int) -> (colour: Int, marker: Int, dash: Int) {
    let s = max(series, 0)
    let (colour, a, b) = (s % 8, (s / 8) % 8, (s / 64) % 8)
    return (colour, (colour + a) % 8, (colour + a + b) % 8)
  }

  /// A sequential, colour-blind-safe ramp for heatmaps (dark blue to yellow), at `t` in 0...1.
  package static func ramp(_ t: Double) -> String {
    let stops: [(Double, Double, Double)] = [(68, 1, 84), (59, 82, 139), (33, 145, 140), (94, 201, 98), (253, 231, 37)]
    let clamped = min(max(t.isFinite ? t : 0, 0), 1) * Double(stops.count - 1)
    let index = min(Int(clamped), stops.count - 2)
    let f = clamped - Double(index)
    let (a, b) = (stops[index], stops[index + 1])
    func channel(_ x: Double, _ y: Double) -> Int { Int((x + (y - x) * f).rounded()) }
    return hex(channel(a.0, b.0), channel(a.1, b.1), channel(a.2, b.2))
  }

  /// Whether text on the ramp at `t` reads better in black than in white.
  package static func rampIsLight(_ t: Double) -> Bool { t > 0.6 }

  static func hex(_ r: Int, _ g: Int, _ b: Int) -> String {
    let digits = Array("0123456789abcdef")
    return "#" + [r, g, b].map { String([digits[$0 / 16], digits[$0 % 16]]) }.joined()
  }
}
