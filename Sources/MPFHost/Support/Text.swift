extension StringProtocol {
  /// Without leading and trailing white space (Foundation-free `trimmingCharacters`).
  func trimmed() -> String {
    var s = Substring(self)
    while let c = s.first, c.isWhitespace { s.removeFirst() }
    while let c = s.last, c.isWhitespace { s.removeLast() }
    return String(s)
  }

  /// Lines split on "\n" or "\r\n" (one Character in Swift), without the empty line a
  /// trailing newline would add.
  func lines() -> [String] {
    var parts = split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }).map { String($0) }
    if parts.last == "" { parts.removeLast() }
    return parts
  }
}

extension String {
  /// Pads with zeros on the left to `width` characters (`7` → `0007`).
  func zeroPadded(to width: Int) -> String {
    String(repeating: "0", count: max(0, width - count)) + self
  }

  /// Pads with spaces on the right (or left with `alignRight`) to `width` characters.
  func padded(to width: Int, alignRight: Bool = false) -> String {
    let padding = String(repeating: " ", count: max(0, width - count))
    return alignRight ? padding + self : self + padding
  }
}
