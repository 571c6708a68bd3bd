/// Quoting for `sh`: the one place a value becomes a shell word.
package enum ShellQuote {
  /// `text` as one `sh` word: single-quoted, with each `'` written as `'\''`.
  package static func quote(_ text: String) -> String {
    "'" + text.replacingAll("'", with: "'\\''") + "'"
  }

  /// `text` as it can be typed back: unchanged when it is a plain word, quoted otherwise.
  package static func quoteIfNeeded(_ text: String) -> String {
    let plain = !text.isEmpty && text.allSatisfy { $0.isLetter || $0.isNumber || "-_./:=,+@%".contains($0) }
    return plain ? text : quote(text)
  }
}
