/// Text and numbers as Python source: the one way untrusted text (a result's name, a label)
/// enters a generated script (`graphs/*.py`), never in a comment or unquoted.
package enum PythonText {
  /// A double-quoted Python string literal of `text`, on one line and plain ASCII-safe where it
  /// matters: `\` and `"` escaped; newline, carriage return, NUL and every other control
  /// (C0, DEL, C1), the line separators Python or editors may break on (U+2028, U+2029, U+0085,
  /// form feed, vertical tab) and the bidi controls that could make the source read otherwise
  /// than it runs, written as `\n`, `\r`, `\x00`, `\u202e`.
  package static func string(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\\": out += "\\\\"
      case "\"": out += "\\\""
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      case _ where needsEscape(scalar):
        let hex = String(scalar.value, radix: 16)
        out += scalar.value < 0x100 ? "\\x" + hex.zeroPadded(to: 2) : "\\u" + hex.zeroPadded(to: 4)
      default: out.unicodeScalars.append(scalar)
      }
    }
    return out + "\""
  }

  /// A number as a Python expression: `float("inf")`, `float("nan")` for those not finite.
  package static func number(_ value: Double) -> String {
    if value.isNaN { return "float(\"nan\")" }
    if value.isInfinite { return value < 0 ? "float(\"-inf\")" : "float(\"inf\")" }
    return NumberText.formatNumber(value, digits: 12)
  }

  static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
    TerminalText.needsEscape(scalar, keepingLines: false) || scalar.value == 0xFFFE || scalar.value == 0xFFFF
  }
}
