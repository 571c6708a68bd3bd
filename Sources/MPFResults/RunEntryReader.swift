package import MPFCore
internal import MPFYAML
package import MPFSystem

/// Reads one run entry of experiment.yaml as mpf writes it (ExperimentRecord.run through
/// libyaml, one key a line, unlimited width) straight from its bytes into a `ResultRow`,
/// without building a YAML tree: what makes `mpf.load` of a large experiment fast. Anything it
/// does not expect (a scalar over several lines, a key it does not know, an escape it does not
/// read) makes it give up, and the caller reads the entry with libyaml instead: the result is
/// the same, only slower (RunEntryReaderTests compares the two).
enum RunEntryReader {
  /// The row, or nil when the entry is not in the form this reader knows.
  static func row(_ entry: ArraySlice<UInt8>, variables: [Variable], position: [String: Int]) -> ResultRow? {
    var lines = Lines(entry)
    guard let first = lines.next() else { return nil }
    var firstLine = Scanner(first)
    guard firstLine.skip("- index: "), let index = firstLine.integer(), firstLine.atEnd else { return nil }
    var fields = Fields(index: index, variables: variables, position: position)
    var section: Section?
    while let line = lines.next() {
      if line.isEmpty { continue }
      var scanner = Scanner(line)
      if scanner.skip("    ") {
        guard section == .results, fields.result(&scanner) else { return nil }
        continue
      }
      guard scanner.skip("  ") else { return nil }
      if scanner.skip("- ") {
        guard section == .files, let file = scanner.scalar(), scanner.atEnd, let text = file.text else { return nil }
        fields.row.files.append(text)
        continue
      }
      guard let key = scanner.key(), scanner.skip(":") else { return nil }
      if scanner.atEnd {
        guard let opened = Section(rawValue: key) else { return nil }
        section = opened
        continue
      }
      section = nil
      guard scanner.skip(" ") else { return nil }
      if key == "end" { return fields.end(&scanner) }
      guard fields.take(key, &scanner), scanner.atEnd else { return nil }
    }
    return nil
  }

  /// The keys that open a block of the entry's lines.
  private enum Section: String {
    case results, files
  }

  /// What an entry said so far; a row once its `end:` comes with the index it began with.
  private struct Fields {
    var row: ResultRow
    private let index: Int
    private let variables: [Variable]
    private let position: [String: Int]
    private var repetition: Int?
    private var values: [LuaValue]?
    private var status: RunStatus?

    init(index: Int, variables: [Variable], position: [String: Int]) {
      row = ResultRow(index: index, repetition: 0, values: [])
      (self.index, self.variables, self.position) = (index, variables, position)
    }

    /// A result: `    name: scalar` or `    name: {value: v, unit: u, raw: r}`.
    mutating func result(_ scanner: inout Scanner) -> Bool {
      guard let name = scanner.key(), scanner.skip(": "), let raw = scanner.resultValue(), scanner.atEnd else { return false }
      row.results[name] = raw
      row.resultOrder.append(name)
      return true
    }

    /// `  key: value` of a key this reader knows; false for anything else.
    mutating func take(_ key: String, _ scanner: inout Scanner) -> Bool {
      switch key {
      case "repetition":
        // Out of range: libyaml's reader refuses it, saying why (StoredExperiment.row).
        guard let value = scanner.integer(), value <= NumberBounds.maxRuns else { return false }
        repetition = value
      case "values":
        guard let pairs = scanner.flowMapping() else { return false }
        var list = Array(repeating: LuaValue.nil, count: variables.count)
        for (name, value) in pairs { if let at = position[name] { list[at] = value.lua } }
        values = list
      case "status":
        guard let text = scanner.scalar()?.text, let known = RunStatus(rawValue: text) else { return false }
        status = known
      case "start":
        guard let text = scanner.scalar()?.text else { return false }
        row.start = Clock.parseISO8601(text) ?? 0
      case "duration":
        guard let value = scanner.scalar()?.lua.doubleValue else { return false }
        row.duration = value
      case "error":
        guard let value = scanner.scalar() else { return false }  // e.g. a quote never closed: libyaml's to say
        row.error = value.text
      case "log":
        guard let value = scanner.scalar() else { return false }
        row.log = value.text
      case "machines":
        guard let pairs = scanner.flowMapping() else { return false }
        for (worker, machine) in pairs { row.machines[worker] = machine.text }
      default: return false
      }
      return true
    }

    /// `  end: INDEX`: the row, when the index is the entry's and every field a row needs came.
    func end(_ scanner: inout Scanner) -> ResultRow? {
      guard scanner.integer() == index, scanner.atEnd, let repetition, let values, let status else { return nil }
      var row = row
      row.repetition = repetition
      row.values = values
      row.status = status
      return row
    }
  }
}

/// The lines of an entry, without allocating a list of them.
struct Lines {
  private let bytes: ArraySlice<UInt8>
  private var start: Int

  init(_ bytes: ArraySlice<UInt8>) {
    self.bytes = bytes
    start = bytes.startIndex
  }

  mutating func next() -> ArraySlice<UInt8>? {
    guard start < bytes.endIndex else { return nil }
    var end = start
    while end < bytes.endIndex, bytes[end] != 10 { end += 1 }
    defer { start = end + 1 }
    return bytes[start..<end]
  }
}

/// A scalar, resolved as YAML's core schema does (YAMLNode.luaValue's rules).
struct Scalar {
  var plain: Bool
  var unquoted: String

  var lua: LuaValue { YAMLNode.scalar(unquoted, plain: plain).luaValue }
  /// The text, nil for a plain `null` or `~`.
  var text: String? { plain && (unquoted == "null" || unquoted == "~") ? nil : unquoted }
}

/// Reads the parts of one line's bytes.
struct Scanner {
  private let bytes: ArraySlice<UInt8>
  private var index: Int

  init(_ line: ArraySlice<UInt8>) {
    bytes = line
    index = line.startIndex
  }

  var atEnd: Bool { index == bytes.endIndex }

  private var current: UInt8? { index < bytes.endIndex ? bytes[index] : nil }

  mutating func skip(_ text: StaticString) -> Bool {
    let count = text.utf8CodeUnitCount
    guard bytes.endIndex - index >= count else { return false }
    let matches = text.withUTF8Buffer { expected in
      (0..<count).allSatisfy { bytes[index + $0] == expected[$0] }
    }
    if matches { index += count }
    return matches
  }

  /// A whole number (digits only, 18 at most: a longer one would overflow, and is left to
  /// the YAML reader).
  mutating func integer() -> Int? {
    let start = index
    var value = 0
    while let byte = current, byte >= 48, byte <= 57 {
      guard index - start < 18 else {
        index = start
        return nil
      }
      value = value * 10 + Int(byte - 48)
      index += 1
    }
    return index > start ? value : nil
  }

  /// A mapping key: plain or quoted.
  mutating func key() -> String? {
    if current == 34 || current == 39 { return quoted()?.unquoted }
    let start = index
    while let byte = current, byte != 58, byte != 32, byte != 44, byte != 125 { index += 1 }
    guard start < index else { return nil }
    return String(decoding: bytes[start..<index], as: UTF8.self)
  }

  /// A scalar up to the end of the line, or (inside a flow mapping or sequence) to `,` or the
  /// closing `}` or `]`.
  mutating func scalar(inFlow: Bool = false) -> Scalar? {
    if current == 34 || current == 39 { return quoted() }
    let start = index
    var previous: UInt8 = 0
    while let byte = current {
      if inFlow, byte == 44 || byte == 125 || byte == 93 { break }
      // What a plain scalar cannot hold here (`#`, `[`, `{`, `: `): leave the line to libyaml.
      if byte == 35 || byte == 91 || byte == 123 || (previous == 58 && byte == 32) { return nil }
      previous = byte
      index += 1
    }
    guard start < index, previous != 32, previous != 58 else { return nil }
    return Scalar(plain: true, unquoted: String(decoding: bytes[start..<index], as: UTF8.self))
  }

  /// `{k: v, k: v}`.
  mutating func flowMapping() -> [(String, Scalar)]? {
    guard skip("{") else { return nil }
    var pairs: [(String, Scalar)] = []
    if skip("}") { return pairs }
    while true {
      guard let key = key(), skip(": "), let value = scalar(inFlow: true) else { return nil }
      pairs.append((key, value))
      if skip("}") { return pairs }
      guard skip(", ") else { return nil }
    }
  }

  /// `[a, b, c]` of scalars, as Lua values.
  mutating func flowSequence() -> [LuaValue]? {
    guard skip("[") else { return nil }
    var items: [LuaValue] = []
    if skip("]") { return items }
    while true {
      guard let value = scalar(inFlow: true) else { return nil }
      items.append(value.lua)
      if skip("]") { return items }
      guard skip(", ") else { return nil }
    }
  }

  /// A result: a scalar, or `{value: v, unit: u, raw: r}` (the raw text is what counts).
  mutating func resultValue() -> ResultValue? {
    if current == 123 {
      guard let pairs = flowMapping(), let raw = pairs.first(where: { $0.0 == "raw" })?.1 else { return nil }
      return ResultValue(raw: raw.lua)
    }
    guard let value = scalar() else { return nil }
    return ResultValue(raw: value.lua)
  }

  /// A quoted scalar, whole on this line.
  private mutating func quoted() -> Scalar? {
    guard let quote = current else { return nil }
    index += 1
    var out: [UInt8] = []
    while let byte = current {
      index += 1
      if quote == 39 {
        if byte == 39 {
          if current == 39 {
            out.append(39)
            index += 1
            continue
          }
          return Scalar(plain: false, unquoted: String(decoding: out, as: UTF8.self))
        }
        out.append(byte)
        continue
      }
      if byte == 34 { return Scalar(plain: false, unquoted: String(decoding: out, as: UTF8.self)) }
      guard byte == 92 else {
        out.append(byte)
        continue
      }
      // An escape: the common ones here; anything rarer goes to libyaml.
      guard let escaped = current else { return nil }
      index += 1
      switch escaped {
      case 110: out.append(10)  // \n
      case 116: out.append(9)  // \t
      case 114: out.append(13)  // \r
      case 34, 92, 47: out.append(escaped)
      case 48: out.append(0)
      case 101: out.append(27)  // \e
      case 97: out.append(7)
      case 98: out.append(8)
      case 120, 117, 85:
        let count = escaped == 120 ? 2 : escaped == 117 ? 4 : 8
        var value: UInt32 = 0
        for _ in 0..<count {
          guard let digit = current, let hex = Scanner.hex(digit) else { return nil }
          value = value * 16 + UInt32(hex)
          index += 1
        }
        guard let scalar = Unicode.Scalar(value) else { return nil }
        out += Array(String(Character(scalar)).utf8)
      default: return nil
      }
    }
    return nil
  }

  private static func hex(_ byte: UInt8) -> UInt8? {
    switch byte {
    case 48...57: byte - 48
    case 97...102: byte - 87
    case 65...70: byte - 55
    default: nil
    }
  }
}
