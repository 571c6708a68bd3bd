/// Where tick labels go so that they never overlap: text widths estimated per character (no
/// font is at hand), category labels rotated when they do not fit their slot and thinned
/// (every k-th shown) when even rotated ones would touch, numeric ticks thinned greedily.
package enum TickLayout {
  /// The height of a line of tick text (12 px font), with a little air.
  static let lineHeight = 15.0
  /// The longest category label written; longer ones end in "…".
  static let longestLabel = 24

  /// The width in pixels of `text` at 12 px: narrow letters, wide ones, and wide scripts (CJK,
  /// emoji) counted apart.
  package static func width(_ text: String) -> Double {
    text.unicodeScalars.reduce(0.0) { total, scalar in
      switch scalar.value {
      case 0x20, 0x2E, 0x2C, 0x3A, 0x3B, 0x27, 0x7C, 0x21, 0x69, 0x6A, 0x6C, 0x49, 0x31, 0x66, 0x74, 0x72: total + 4
      case 0x41...0x5A, 0x6D, 0x77, 0x40, 0x25: total + 9.5
      case 0x300...0x36F, 0x200B...0x200F: total
      case 0x1100...: total + 12.5
      default: total + 7.2
      }
    }
  }

  /// How category labels are drawn along an axis of `slot` pixels per category.
  package struct Categories: Equatable, Sendable {
    /// Rotated by 45° (not horizontal).
    package var rotated: Bool
    /// Every `step`-th label is drawn (1: all).
    package var step: Int
    /// The pixels the labels take below the axis.
    package var depth: Double
    /// The pixels the first label reaches left of its category's center (a rotated label
    /// ends at its category and runs down to the left).
    package var reachLeft: Double
  }

  package static func categories(_ labels: [String], slot: Double) -> Categories {
    let widest = labels.map { width(clip($0, longestLabel)) }.max() ?? 0
    if widest + 6 <= slot { return Categories(rotated: false, step: 1, depth: lineHeight, reachLeft: widest / 2) }
    let spacing = lineHeight * 2.0.squareRoot()
    let step = max(1, Int((spacing / max(slot, 0.001)).rounded(.up)))
    let first = labels.first.map { width(clip($0, longestLabel)) } ?? 0
    return Categories(rotated: true, step: step, depth: widest * 0.71 + lineHeight, reachLeft: first * 0.71)
  }

  /// Rows of a categorical y axis: every `step`-th is labelled so that they do not touch.
  package static func rowStep(slot: Double) -> Int { max(1, Int((lineHeight / max(slot, 0.001)).rounded(.up))) }

  /// The indices of the ticks to label along a horizontal axis (`position` in pixels), each
  /// kept only when it clears the last one kept by 8 pixels.
  package static func thinned(_ ticks: [(position: Double, text: String)]) -> [Int] {
    var kept: [Int] = []
    var lastEnd = -Double.infinity
    for (index, tick) in ticks.enumerated() {
      let half = width(tick.text) / 2
      if tick.position - half >= lastEnd + 8 {
        kept.append(index)
        lastEnd = tick.position + half
      }
    }
    return kept
  }

  /// `text` cut into lines no wider than `width` at its "; " or ", " or spaces (a subtitle
  /// that says many things); none for empty text.
  package static func wrapped(_ text: String, width limit: Double) -> [String] {
    guard !text.isEmpty else { return [] }
    var lines: [String] = []
    var line = ""
    for word in text.split(separator: " ", omittingEmptySubsequences: false) {
      let candidate = line.isEmpty ? String(word) : line + " " + word
      if !line.isEmpty, width(candidate) > limit {
        lines.append(line)
        line = String(word)
      } else {
        line = candidate
      }
    }
    return lines + [line]
  }
}
