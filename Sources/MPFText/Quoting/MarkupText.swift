/// Text inside HTML or XML (SVG), as element text or a quoted attribute value: the one way
/// untrusted text enters the report or a graph.
package enum MarkupText {
  /// `&`, `<`, `>`, `"` and `'` as entities (so `</script>` and `]]>` are inert and an
  /// attribute cannot be closed); the controls XML does not allow (C0 but tab and newline,
  /// U+FFFE, U+FFFF) as a space.
  package static func escaped(_ text: String) -> String {
    var out = ""
    out.reserveCapacity(text.utf8.count)
    for scalar in text.unicodeScalars {
      switch scalar {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      case "'": out += "&#39;"
      case "\n", "\t": out.unicodeScalars.append(scalar)
      case _ where scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF: out += " "
      default: out.unicodeScalars.append(scalar)
      }
    }
    return out
  }
}
