package import MPFCore

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

  /// - Returns: nil when the header is not whole (`runs:` is missing).
  package init?(_ text: String) { self.init(bytes: Array(text.utf8)) }

  /// - Returns: nil when the header is not whole (`runs:` is missing).
  package init?(bytes: [UInt8]) {
    var runs: [Range<Int>] = []
    var given = false
    // The same splitting as a file read in blocks, with the whole text as its one block.
    let next = { () -> [UInt8] in
      defer { given = true }
      return given ? [] : bytes
    }
    guard let split = (try? Self.split(next: next, header: { _ in true }, run: { entry, offset, _ in runs.append(offset..<(offset + entry.count)) })) ?? nil
    else { return nil }
    self.bytes = bytes
    header = 0..<split.header.count
    self.runs = runs
    trailer = split.trailer.map { split.runs.upperBound..<(split.runs.upperBound + $0.count) }
    wasCut = split.wasCut
  }

  /// What `stream` found in a file of format 2.
  package struct Streamed {
    /// The header, `runs:` included.
    package var header: [UInt8]
    /// The trailer when it is whole.
    package var trailer: [UInt8]?
    /// Its first line's number.
    package var trailerLine: Int
    package var wasCut: Bool
    /// Where the whole run entries are in the file (from the end of the header).
    package var runs: Range<Int>
  }

  /// Reads the file at `fd` in blocks, as `init` splits a text, without holding it whole:
  /// `header` gets the header once it is read (and says whether to go on), then `run` each
  /// whole run entry (its bytes and the number of its first line), in file order. Memory stays
  /// at a block or two, whatever the file's size.
  ///
  /// - Returns: nil when the header is not whole (`runs:` is missing).
  package static func stream(
    _ file: FileDescriptor, header: ([UInt8]) throws -> Bool, run: (ArraySlice<UInt8>, Int) throws -> Void
  ) throws -> Streamed? {
    try split(next: { try file.readAll(limit: 1 << 20) }, header: header, run: { entry, _, line in try run(entry, line) })
  }

  /// The one splitter: `next` gives the text's next block (empty at its end); `run` gets each
  /// whole entry, its offset in the text and the number of its first line.
  private static func split(
    next: () throws -> [UInt8], header: ([UInt8]) throws -> Bool, run: (ArraySlice<UInt8>, Int, Int) throws -> Void
  ) throws -> Streamed? {
    var window: [UInt8] = []
    var base = 0  // the offset of window[0]
    var atEnd = false
    func more() throws {
      let block = try next()
      if block.isEmpty { atEnd = true } else { window += block }
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
      return Streamed(header: headerBytes, trailer: nil, trailerLine: 0, wasCut: false, runs: headerBytes.count..<headerBytes.count)
    }
    var line = headerBytes.count { $0 == 10 } + 1
    var position = headerEnd!
    var wasCut = false
    // Run entries: `- index: N`, the lines indented under it (or empty: a break inside a
    // quoted scalar), and last `  end: N`; one not whole yet may end in the next block.
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
      try run(window[position..<end], base + position, line)
      line += window[position..<end].count { $0 == 10 }
      position = end
    }
    let runs = headerBytes.count..<(base + position)
    guard !wasCut else { return Streamed(header: headerBytes, trailer: nil, trailerLine: line, wasCut: true, runs: runs) }
    // The trailer: the rest, whole when it ends with its end line.
    var rest = Array(window[position...])
    while !atEnd {
      let block = try next()
      if block.isEmpty { atEnd = true } else { rest += block }
    }
    let whole = !rest.isEmpty && hasSuffix(rest, "\nend: experiment\n")
    return Streamed(header: headerBytes, trailer: whole ? rest : nil, trailerLine: line, wasCut: !rest.isEmpty && !whole, runs: runs)
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
