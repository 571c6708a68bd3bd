package import MPFSystem
extension StringProtocol {
  /// Without leading and trailing white space (Foundation-free `trimmingCharacters`).
  package func trimmed() -> String {
    var s = Substring(self)
    while let c = s.first, c.isWhitespace { s.removeFirst() }
    while let c = s.last, c.isWhitespace { s.removeLast() }
    return String(s)
  }

  /// Lines split on "\n" or "\r\n" (one Character in Swift), without the empty line a
  /// trailing newline would add.
  package func lines() -> [String] {
    var parts = split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }).map { String($0) }
    if parts.last == "" { parts.removeLast() }
    return parts
  }
}

extension String {
  /// Pads with zeros on the left to `width` characters (`7` → `0007`).
  package func zeroPadded(to width: Int) -> String {
    String(repeating: "0", count: max(0, width - count)) + self
  }

  /// Pads with spaces on the right (or left with `alignRight`) to `width` characters.
  package func padded(to width: Int, alignRight: Bool = false) -> String {
    let padding = String(repeating: " ", count: max(0, width - count))
    return alignRight ? padding + self : self + padding
  }
}

/// Numbers as people read them.
package enum NumberText {
  /// Up to `digits` significant digits, without a trailing ".0"; `inf`, `-inf` and `nan`
  /// (never `-nan`: the sign of a NaN means nothing to a reader) for the numbers that are not finite.
  package static func formatNumber(_ value: Double, digits: Int = 4) -> String {
    if value.isNaN { return "nan" }
    if value.isInfinite { return value < 0 ? "-inf" : "inf" }
    guard value != 0 else { return "0" }
    let exponent = NumberBounds.checkedInt(floor(log10(abs(value)))) ?? 0
    let scale = pow(10.0, Double(digits - 1 - exponent))
    // Near the ends of the range (1e308, 5e-324) the scale overflows: the number as it is.
    let rounded = (value * scale).rounded() / scale
    guard scale.isFinite, scale > 0, rounded.isFinite else { return "\(value)" }
    if rounded == rounded.rounded(), abs(rounded) < 1e15 { return String(Int64(rounded)) }
    return "\(rounded)"
  }
}

extension String {
  /// Every occurrence of `target` replaced (Foundation-free `replacingOccurrences`).
  package func replacingAll(_ target: String, with replacement: String) -> String {
    guard !target.isEmpty else { return self }
    var result = ""
    var rest = Substring(self)
    while let range = rest.firstRange(of: target) {
      result += rest[..<range.lowerBound]
      result += replacement
      rest = rest[range.upperBound...]
    }
    return result + rest
  }
}

extension String {
  /// Control and bidi characters written as escapes (`\n`, `\e`, `\0`, `\u{202E}`), so that
  /// text from a run (a command's stderr) keeps to one line and cannot drive the terminal:
  /// `TerminalText.escaped`.
  package var escapingControlCharacters: String { TerminalText.escaped(self) }
}

extension String {
  /// Without its trailing spaces.
  package func trimmedEnd() -> String {
    var s = Substring(self)
    while s.last == " " { s.removeLast() }
    return String(s)
  }

  /// Text made safe inside XML or HTML (SVG files, report.html): `& < > " '` escaped, other
  /// control characters than newline and tab made spaces.
  package var escapingMarkup: String { MarkupText.escaped(self) }
}
