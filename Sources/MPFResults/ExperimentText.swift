/// experiment.yaml's text split into what can be trusted, whatever byte a crash (or anyone)
/// cut it at. Since format 2, each run entry ends with `  end: INDEX` and the trailer with
/// `end: experiment`, so a record is whole exactly when its end line is there:
///
/// - the header (up to `runs:`) is written at once, atomically; without `runs:` the header is
///   not whole and nothing can be trusted (no seed, no plan): the file is refused;
/// - run entries are kept up to the first one without its end line (cut: it and anything
///   after it are left out, so that a resume redoes that run);
/// - the trailer counts only when it ends with its end line.
package struct ExperimentText {
  /// The header, `runs:` included.
  package var header: Substring
  /// The whole run entries, each with its end line.
  package var runs: [Substring]
  /// The trailer when it is whole, else nil.
  package var trailer: Substring?
  /// Whether something after the last whole run was left out (a cut entry or trailer).
  package var wasCut: Bool

  /// The text made of the trusted parts only.
  package var validText: String { String(header) + runs.joined() + (trailer.map(String.init) ?? "") }

  /// - Returns: nil when the header is not whole (`runs:` is missing).
  package init?(_ text: String) {
    let bytes = Substring(text)
    guard let runsLine = bytes.firstRange(of: "\nruns:\n") ?? (bytes.hasPrefix("runs:\n") ? bytes.startIndex..<bytes.index(bytes.startIndex, offsetBy: 6) : nil) else {
      return nil
    }
    header = bytes[..<runsLine.upperBound]
    runs = []
    trailer = nil
    wasCut = false
    var rest = bytes[runsLine.upperBound...]
    // Run entries: a line starting "- " and the lines indented under it, up to its end line.
    while rest.hasPrefix("- ") {
      guard let (entry, index) = Self.entry(at: rest) else {
        wasCut = true
        return
      }
      runs.append(entry)
      rest = rest[entry.endIndex...]
      _ = index    }
    guard !rest.isEmpty else { return }
    // The trailer: top-level keys, whole only with its end line last.
    if rest.hasSuffix("\nend: experiment\n") {
      trailer = rest
    } else {
      wasCut = true
    }
  }

  /// The run entry at the start of `text`, when its end line is there and names its index.
  private static func entry(at text: Substring) -> (Substring, Int)? {
    guard let firstLineEnd = text.firstIndex(of: "\n") else { return nil }
    let first = text[..<firstLineEnd]
    guard first.hasPrefix("- index: "), let index = Int(first.dropFirst(9)) else { return nil }
    guard let marker = text[firstLineEnd...].firstRange(of: "\n  end: \(index)\n") else { return nil }
    // Every line up to the end line is indented under the entry: none starts another record.
    let body = text[firstLineEnd..<marker.lowerBound].utf8
    var previous: UInt8 = 0
    for byte in body {
      if previous == 10, byte != 32 { return nil }
      previous = byte
    }
    return (text[..<marker.upperBound], index)
  }
}
