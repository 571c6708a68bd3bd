package import MPFCore
package import MPFSystem

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
  /// Damaged entries before the last whole run: not read, kept in the file.
  package var skipped: [Skipped]

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
    header = 0..<split.headerLength
    self.runs = runs
    trailer = split.trailer.map { split.runs.upperBound..<(split.runs.upperBound + $0.count) }
    wasCut = split.wasCut
    skipped = split.skipped
  }

  /// What `stream` found in a file of format 2.
  package struct Streamed {
    /// The header's length in bytes, `runs:` included.
    package var headerLength: Int
    /// The trailer when it is whole.
    package var trailer: [UInt8]?
    /// Its first line's number.
    package var trailerLine: Int
    package var wasCut: Bool
    /// Where the whole run entries are in the file (from the end of the header).
    package var runs: Range<Int>
    /// Entries among them that are not whole or not run entries: left out of the runs read,
    /// kept in the file.
    package var skipped: [Skipped] = []
  }

  /// A run entry left out because it is damaged: where it starts and why.
  package struct Skipped: Sendable, Equatable {
    package var line: Int
    package var reason: String
  }

  /// Reads the file at `fd` in blocks, as `init` splits a text, without holding it whole:
  /// `header` gets the header once it is read (and says whether to go on), then `run` each
  /// whole run entry (its bytes and the number of its first line), in file order. Memory stays
  /// at a block or two, whatever the file's size.
  ///
  /// - Returns: nil when the header is not whole (`runs:` is missing).
  package static func stream(
    _ file: FileDescriptor, header: (ArraySlice<UInt8>) throws -> Bool, run: (ArraySlice<UInt8>, Int) throws -> Void
  ) throws -> Streamed? {
    try split(next: { try file.readAll(limit: 1 << 16) }, header: header, run: { entry, _, line in try run(entry, line) })
  }

  /// The one splitter: `next` gives the text's next block (empty at its end); `run` gets each
  /// whole entry, its offset in the text and the number of its first line. The header's run
  /// order (`run_order: [...]`, one line as long as the plan: 1.2 MB at 100 000 runs) is left
  /// out of what `header` gets as its bytes arrive, never whole in memory: no reader needs it
  /// (a resume computes the order again from the seed).
  private static func split(
    next: () throws -> [UInt8], header: (ArraySlice<UInt8>) throws -> Bool, run: (ArraySlice<UInt8>, Int, Int) throws -> Void
  ) throws -> Streamed? {
    var window: [UInt8] = []
    var base = 0  // the offset of window[0]
    var atEnd = false
    func more() throws {
      let block = try next()
      if block.isEmpty { atEnd = true } else { window += block }
    }
    // The header: up to the line `runs:`, without its run order (`dropped` bytes, a line).
    var lineStart = 0
    var headerEnd: Int?
    var (dropped, droppedLines, dropping) = (0, 0, false)
    while headerEnd == nil {
      let end = lineEnd(window, from: lineStart)
      if !dropping, window[lineStart..<end].starts(with: "run_order: ".utf8) { dropping = true }
      if dropping {
        let whole = end < window.count
        let through = whole ? end + 1 : end
        window.removeSubrange(lineStart..<through)
        dropped += through - lineStart
        if whole {
          (dropping, droppedLines) = (false, droppedLines + 1)
          continue
        }
      }
      if end == window.count || dropping {
        if atEnd { return nil }
        try more()
        continue
      }
      if equal(window, lineStart..<end, "runs:") { headerEnd = end + 1 }
      lineStart = end + 1
    }
    // Handed over in place (a header of 100 000 values is 0.7 MB); from here, a position in
    // the window is `dropped` bytes before its offset in the text.
    let headerLength = headerEnd! + dropped
    base = dropped
    guard try header(window[0..<headerEnd!]) else {
      return Streamed(headerLength: headerLength, trailer: nil, trailerLine: 0, wasCut: false, runs: headerLength..<headerLength)
    }
    var line = window[0..<headerEnd!].count { $0 == 10 } + droppedLines + 1
    var position = headerEnd!
    var wasCut = false
    var skipped: [Skipped] = []
    // Run entries: `- index: N`, the lines indented under it (or empty: a break inside a
    // quoted scalar), and last `  end: N`; one not whole yet may end in the next block. An
    // entry ends where a line starts at the margin (the next entry, the trailer). One that is
    // not whole at the very end of the file was cut by a crash: left out, the file is cut.
    // One that is not whole with more after it was edited or damaged: it is skipped, said,
    // and stays in the file (a resume copies it as it is): nothing is dropped unsaid.
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
      guard let extent = entryExtent(window, from: position, atEnd: atEnd) else {
        base += position
        window.removeFirst(position)
        position = 0
        try more()
        continue
      }
      let entry = window[position..<extent.end]
      if let problem = extent.problem {
        if extent.end == window.count, atEnd, problem == .notWhole {
          wasCut = true
          break
        }
        skipped.append(Skipped(line: line, reason: problem.reason))
      } else {
        try run(entry, base + position, line)
      }
      line += entry.count { $0 == 10 }
      position = extent.end
    }
    let runs = headerLength..<(base + position)
    guard !wasCut else { return Streamed(headerLength: headerLength, trailer: nil, trailerLine: line, wasCut: true, runs: runs, skipped: skipped) }
    // The trailer: the rest, whole when it ends with its end line.
    var rest = Array(window[position...])
    while !atEnd {
      let block = try next()
      if block.isEmpty { atEnd = true } else { rest += block }
    }
    let whole = !rest.isEmpty && hasSuffix(rest, "\nend: experiment\n")
    return Streamed(
      headerLength: headerLength, trailer: whole ? rest : nil, trailerLine: line, wasCut: !rest.isEmpty && !whole, runs: runs, skipped: skipped)
  }

  /// What is wrong with a run entry that is not whole.
  enum EntryProblem: Equatable {
    case notWhole
    case noIndex
    case badIndex(String)
    case tab(line: Int)

    var reason: String {
      switch self {
      case .notWhole: return "it has no end line matching its index (cut or edited)"
      case .noIndex: return "it does not start with '- index: N'"
      case .badIndex(let text): return "its index '\(text)' is not a run index (a whole number from 0 to \(Int32.max))"
      case .tab(let line): return "its line \(line) is indented with a tab, which YAML does not allow"
      }
    }
  }

  /// Where the entry starting at `start` ends: before the next line that starts at the margin
  /// (a space or a tab is no margin), or at the text's end; and what is wrong with it, if
  /// anything. nil when the text read so far does not show its end yet.
  private static func entryExtent(_ bytes: [UInt8], from start: Int, atEnd: Bool) -> (end: Int, problem: EntryProblem?)? {
    let firstEnd = lineEnd(bytes, from: start)
    if firstEnd == bytes.count { return atEnd ? (bytes.count, .notWhole) : nil }
    var lineStart = firstEnd + 1
    var lastLine: Range<Int>?
    var tabLine: Int?
    var lineNumber = 1
    while true {
      if lineStart == bytes.count {
        if !atEnd { return nil }
        break
      }
      let first = bytes[lineStart]
      if first != 32, first != 9, first != 10 { break }  // another record begins
      let end = lineEnd(bytes, from: lineStart)
      if end == bytes.count, !atEnd { return nil }
      lineNumber += 1
      if first == 9, tabLine == nil { tabLine = lineNumber }
      if end > lineStart { lastLine = lineStart..<end }
      lineStart = min(end + 1, bytes.count)
    }
    let extent = lineStart
    let firstLine = start..<firstEnd
    guard let indexText = rest(bytes, firstLine, after: "- index: ") else { return (extent, .noIndex) }
    guard let lastLine, let endText = rest(bytes, lastLine, after: "  end: "), endText == indexText,
      bytes[extent - 1] == 10
    else { return (extent, .notWhole) }
    guard let index = Int(indexText), index >= 0, index <= Int(Int32.max) else { return (extent, .badIndex(indexText)) }
    _ = index
    if let tabLine { return (extent, .tab(line: tabLine)) }
    return (extent, nil)
  }

  /// The rest of the line after `prefix`, as text; nil when the line does not start with it.
  private static func rest(_ bytes: [UInt8], _ range: Range<Int>, after prefix: StaticString) -> String? {
    let count = prefix.utf8CodeUnitCount
    guard range.count > count, equal(bytes, range.lowerBound..<(range.lowerBound + count), prefix) else { return nil }
    return String(decoding: bytes[(range.lowerBound + count)..<range.upperBound], as: UTF8.self)
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
}
