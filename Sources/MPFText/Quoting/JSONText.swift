/// Text as a JSON string literal (`mpf show --format json`, the notebook's messages, data
/// embedded in report.html).
package enum JSONText {
  /// `text` between double quotes, with every character JSON requires escaped (quote,
  /// backslash, controls below U+0020) and three more so the literal can sit inside HTML or
  /// JavaScript as it is: `<` (no `</script>` or `<!--` can close a script block), U+2028 and
  /// U+2029 (line ends to JavaScript).
  package static func string(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      case "<", "\u{2028}", "\u{2029}": out += unicodeEscape(scalar)
      case _ where scalar.value < 0x20: out += unicodeEscape(scalar)
      default: out.unicodeScalars.append(scalar)
      }
    }
    return out + "\""
  }

  /// `\uXXXX` for a scalar of the Basic Multilingual Plane.
  private static func unicodeEscape(_ scalar: Unicode.Scalar) -> String {
    "\\u" + String(scalar.value, radix: 16).zeroPadded(to: 4)
  }
}
