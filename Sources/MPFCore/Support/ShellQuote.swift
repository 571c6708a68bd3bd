/// Quoting for `sh`: the one place a value becomes a shell word.
package enum ShellQuote {
  /// `text` as one `sh` word: single-quoted, with each `'` written as `'\''`.
  package static func quote(_ text: String) -> String {
    "'" + text.replacingAll("'", with: "'\\''") + "'"
  }
}
