/// A CSV field (RFC 4180): the one way text enters a CSV mpf writes (graphs' data,
/// `df:to_csv`, `mpf show --format csv`). Python's `csv` module reads it back to the same text.
package enum CSVText {
  /// `text` as it is when it holds no comma, quote, line break (U+2028 and U+2029 too) or
  /// NUL; double-quoted otherwise, each `"` doubled. Checked per Unicode scalar:
  /// a `\r\n` is one Swift `Character`, which a check of `\n` alone misses.
  package static func field(_ text: String) -> String {
    let special = text.unicodeScalars.contains { ",\"\n\r\0".unicodeScalars.contains($0) || $0 == "\u{2028}" || $0 == "\u{2029}" }
    guard special else { return text }
    return "\"" + text.replacingAll("\"", with: "\"\"") + "\""
  }
}
