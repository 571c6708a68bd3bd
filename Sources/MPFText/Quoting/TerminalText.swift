/// Untrusted text (a result's name, a label, a value, a node's output, a worker's warning, an
/// error message) as a terminal shows it: visibly, never driving it. The one function every
/// terminal output of such text goes through (`escapingControlCharacters` is its short form).
///
/// ESC is written `\e` (so `\e[31m` is read as text, not obeyed), NUL `\0`, newline, tab and
/// carriage return `\n`, `\t`, `\r`, the other C0 and C1 controls and DEL `\u{7}`-style, and so
/// are the characters that reorder or hide text (bidi controls U+202A–202E, U+2066–2069,
/// U+200E, U+200F, U+061C; line and paragraph separators U+2028, U+2029; U+FEFF).
package enum TerminalText {
  /// - Parameter keepingLines: newlines and tabs stay (a message of several lines, `print`).
  package static func escaped(_ text: String, keepingLines: Bool = false) -> String {
    guard text.unicodeScalars.contains(where: { needsEscape($0, keepingLines: keepingLines) }) else { return text }
    var out = ""
    for scalar in text.unicodeScalars {
      guard needsEscape(scalar, keepingLines: keepingLines) else {
        out.unicodeScalars.append(scalar)
        continue
      }
      switch scalar {
      case "\u{1B}": out += "\\e"
      case "\0": out += "\\0"
      case "\n": out += "\\n"
      case "\t": out += "\\t"
      case "\r": out += "\\r"
      default: out += "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
      }
    }
    return out
  }

  static func needsEscape(_ scalar: Unicode.Scalar, keepingLines: Bool) -> Bool {
    switch scalar.value {
    case 0x0A, 0x09: return !keepingLines
    case 0x00...0x1F, 0x7F...0x9F: return true
    case 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069, 0x2028, 0x2029, 0xFEFF: return true
    default: return false
    }
  }
}
