internal import MPFCore

/// experiment.yaml's text split into what can be trusted, whatever byte a crash (or anyone)
/// cut it at. Since format 2, each run entry ends with `  end: INDEX` and the trailer with
/// `end: experiment`, so a record is whole exactly when its end line is there:
///
/// - the header (up to `runs:`) is written at once, atomically; without `runs:` the header is
///   not whole and nothing can be trusted (no seed, no plan): the file is refused;
/// - run entries are kept up to the first one without its end line (cut: it and anything
///   after it are left out, so that a resume redoes that run);
/// - the trailer counts only when it ends with its end line.
///
/// It works on the file's bytes, line by line: a 100 000-run file is split in milliseconds.
package struct ExperimentText {
  package let bytes: [UInt8]
  /// The header, `runs:` included.
  package var header: Range<Int>
  /// The whole run entries, each with its end line.
  package var runs: [Range<Int>]
  /// The trailer when it is whole, else nil.
  package var trailer: Range<Int>?
  /// Whether something after the last whole run was left out (a cut entry or trailer).
  package var wasCut: Bool

  package func text(_ range: Range<Int>) -> String { String(decoding: bytes[range], as: UTF8.self) }

  /// The header without the top-level line that starts with `key` (`run_order: `).
  package func headerText(without key: StaticString) -> String {
    var start = 0
    while start < header.upperBound {
      let end = Self.lineEnd(bytes, from: start)
      let count = key.utf8CodeUnitCount
      if end - start >= count, Self.equal(bytes, start..<(start + count), key) {
        return String(decoding: bytes[0..<start] + bytes[min(end + 1, header.upperBound)..<header.upperBound], as: UTF8.self)
      }
      start = end + 1
    }
    return text(header)
  }

  /// The text made of the trusted parts only.
  package var validText: String { String(decoding: bytes.prefix(validLength), as: UTF8.self) }

  /// How many of the file's first bytes are the trusted parts: the header, the whole runs
  /// that follow it, and the trailer when it is whole.
  package var validLength: Int { trailer?.upperBound ?? runs.last?.upperBound ?? header.upperBound }

  /// - Returns: nil when the header is not whole (`runs:` is missing).
  package init?(_ text: String) { self.init(bytes: Array(text.utf8)) }

  /// - Returns: nil when the header is not whole (`runs:` is missing).
  package init?(bytes: [UInt8]) {
    self.bytes = bytes
    runs = []
    trailer = nil
    wasCut = false
    // The header ends with the line `runs:`.
    var lineStart = 0
    var headerEnd: Int?
    while lineStart < bytes.count {
      let lineEnd = Self.lineEnd(bytes, from: lineStart)
      if lineEnd < bytes.count, Self.equal(bytes, lineStart..<lineEnd, "runs:") {
        headerEnd = lineEnd + 1
        break
      }
      lineStart = lineEnd + 1
    }
    guard let headerEnd else {
      header = 0..<0
      return nil
    }
    header = 0..<headerEnd
    var position = headerEnd
    // Run entries: `- index: N`, the lines indented under it (or empty: a break inside a
    // quoted scalar), and last `  end: N`.
    while position < bytes.count, bytes[position] == 45 {
      guard let end = Self.entryEnd(bytes, from: position) else {
        wasCut = true
        return
      }
      runs.append(position..<end)
      position = end
    }
    guard position < bytes.count else { return }
    if Self.hasSuffix(bytes, "\nend: experiment\n") {
      trailer = position..<bytes.count
    } else {
      wasCut = true
    }
  }

  /// What `stream` found in a file of format 2.
  package struct Streamed {
    /// The header, `runs:` included.
    package var header: [UInt8]
    /// The trailer when it is whole.
    package var trailer: [UInt8]?
    /// Its first line's number.
    package var trailerLine: Int
    /// How many of the file's first bytes are whole records (see `validLength`).
    package var validLength: Int
    package var wasCut: Bool
    /// Where the whole run entries are in the file (from the end of the header).
    package var runs: Range<Int> = 0..<0
  }

  /// Reads the file at `fd` in blocks, as `init` splits it, without holding it whole: `header`
  /// gets the header once it is read (and says whether to go on), then `run` each whole run
  /// entry (its bytes and the number of its first line), in file order. Memory stays at a
  /// block or two, whatever the file's size.
  ///
  /// - Returns: nil when the header is not whole (`runs:` is missing).
  package static func stream(
    _ fd: Int32, path: String, header: ([UInt8]) throws -> Bool, run: (ArraySlice<UInt8>, Int) throws -> Void
  ) throws -> Streamed? {
    let block = 1 << 20
    var window: [UInt8] = []
    var base = 0  // the file offset of window[0]
    var atEnd = false
    func more() throws {
      let chunk = try FileSystem.readAll(fd, path: path, limit: block)
      if chunk.isEmpty { atEnd = true } else { window += chunk }
    }
    // The header: up to the line `runs:`.
    var lineStart = 0
    var headerEnd: Int?
    while headerEnd == nil {
      let end = lineEnd(window, from: lineStart)
      if end == window.count {
        if atEnd { return nil }
        try more()
        continue
      }
      if equal(window, lineStart..<end, "runs:") { headerEnd = end + 1 }
      lineStart = end + 1
    }
    let headerBytes = Array(window[0..<headerEnd!])
    guard try header(headerBytes) else {
      return Streamed(header: headerBytes, trailer: nil, trailerLine: 0, validLength: headerBytes.count, wasCut: false)
    }
    var line = headerBytes.count { $0 == 10 } + 1
    var position = headerEnd!
    var wasCut = false
    while true {
      if position == window.count, !atEnd {
        // Keep only what is not read yet.
        base += position
        window.removeFirst(position)
        position = 0
        try more()
        continue
      }
      guard position < window.count, window[position] == 45 else { break }
      guard let end = entryEnd(window, from: position) else {
        if atEnd {
          wasCut = true
          break
        }
        base += position
        window.removeFirst(position)
        position = 0
        try more()
        continue
      }
      try run(window[position..<end], line)
      line += window[position..<end].count { $0 == 10 }
      position = end
    }
    let validRuns = base + position
    let runs = headerBytes.count..<validRuns
    guard !wasCut else {
      return Streamed(header: headerBytes, trailer: nil, trailerLine: line, validLength: validRuns, wasCut: true, runs: runs)
    }
    // The trailer: the rest of the file, whole when it ends with its end line.
    var rest = Array(window[position...])
    while !atEnd {
      let chunk = try FileSystem.readAll(fd, path: path, limit: block)
      if chunk.isEmpty { atEnd = true } else { rest += chunk }
    }
    if rest.isEmpty {
      return Streamed(header: headerBytes, trailer: nil, trailerLine: line, validLength: validRuns, wasCut: false, runs: runs)
    }
    let whole = hasSuffix(rest, "\nend: experiment\n")
    return Streamed(
      header: headerBytes, trailer: whole ? rest : nil, trailerLine: line, validLength: validRuns + (whole ? rest.count : 0), wasCut: !whole,
      runs: runs)
  }

  /// Where the entry starting at `start` ends (after its end line), nil when it is not whole.
  private static func entryEnd(_ bytes: [UInt8], from start: Int) -> Int? {
    let firstEnd = lineEnd(bytes, from: start)
    guard firstEnd < bytes.count, let index = number(bytes, start..<firstEnd, after: "- index: ") else { return nil }
    var lineStart = firstEnd + 1
    while lineStart < bytes.count {
      let end = lineEnd(bytes, from: lineStart)
      guard end < bytes.count else { return nil }  // a last line without its newline: cut
      if end > lineStart, bytes[lineStart] != 32 { return nil }  // another record begins
      if let found = number(bytes, lineStart..<end, after: "  end: ") {
        return found == index ? end + 1 : nil
      }
      lineStart = end + 1
    }
    return nil
  }

  private static func lineEnd(_ bytes: [UInt8], from start: Int) -> Int {
    var i = start
    while i < bytes.count, bytes[i] != 10 { i += 1 }
    return i
  }

  private static func equal(_ bytes: [UInt8], _ range: Range<Int>, _ text: StaticString) -> Bool {
    guard range.count == text.utf8CodeUnitCount else { return false }
    return text.withUTF8Buffer { expected in zip(bytes[range], expected).allSatisfy { $0 == $1 } }
  }

  private static func hasSuffix(_ bytes: [UInt8], _ text: StaticString) -> Bool {
    let count = text.utf8CodeUnitCount
    guard bytes.count >= count else { return false }
    return equal(bytes, (bytes.count - count)..<bytes.count, text)
  }

  /// The whole number that makes up the rest of the line after `prefix`.
  private static func number(_ bytes: [UInt8], _ range: Range<Int>, after prefix: StaticString) -> Int? {
    let count = prefix.utf8CodeUnitCount
    guard range.count > count, equal(bytes, range.lowerBound..<(range.lowerBound + count), prefix) else { return nil }
    // 18 digits at most: a longer number is no run index (and would overflow).
    guard range.count - count <= 18 else { return nil }
    var value = 0
    for byte in bytes[(range.lowerBound + count)..<range.upperBound] {
      guard byte >= 48, byte <= 57 else { return nil }
      value = value * 10 + Int(byte - 48)
    }
    return value
  }
}
