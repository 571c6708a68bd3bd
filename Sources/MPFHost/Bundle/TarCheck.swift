package import MPFText

/// The bounds a bundle is held to before anything in it is unpacked (docs/versions.md).
package struct BundleLimits: Sendable {
  /// Entries (files and folders).
  package var entries = 100_000
  /// Bytes of one file.
  package var fileBytes = 1 << 30
  /// Bytes of all files together.
  package var totalBytes = 4 << 30
  /// Bytes of one entry's path.
  package var nameBytes = 4096

  package init() {}
}

/// One entry of a tar stream that passed the checks: a regular file or a folder.
package struct TarEntry: Sendable, Equatable {
  /// Relative, without a trailing `/`.
  package var path: String
  package var isDirectory: Bool
  package var size: Int
}

/// What is wrong with a bundle's entry (`entry` nil: with the stream as a whole).
package struct TarProblem: Error, Sendable, Equatable {
  package var entry: String?
  package var reason: String

  package init(_ entry: String?, _ reason: String) {
    self.entry = entry
    self.reason = reason
  }
}

/// Reads the headers of a tar stream as it comes (the output of `gzip -dc`), without writing
/// anything, and refuses the first entry that is not a regular file or a folder at a relative
/// path below one top folder, within `BundleLimits`. Formats: GNU (`ustar  `, with `L` long
/// names, what `mpf export` writes) and POSIX ustar (`prefix/name`); pax headers, links,
/// devices, FIFOs and sparse files are refused as such.
package struct TarCheck {
  package private(set) var entries: [TarEntry] = []
  private let limits: BundleLimits
  private var pending: [UInt8] = []
  /// Content bytes still to skip (padding included) before the next header.
  private var skipping = 0
  /// A GNU long name being read: its bytes so far and how many are left (padding excluded).
  private var longName: (bytes: [UInt8], left: Int)?
  /// The name a GNU long-name entry gave the next header, as read.
  private var nextName: [UInt8]?
  private var zeroBlocks = 0
  private var total = 0
  private var seen: Set<String> = []
  private var top: String?
  /// Zero bytes read after the end-of-archive blocks (tar pads to its record size).
  private var trailing = 0

  package init(limits: BundleLimits = BundleLimits()) { self.limits = limits }

  /// Whether the end-of-archive blocks have been read.
  package var ended: Bool { zeroBlocks >= 2 }

  /// Reads more of the stream.
  ///
  /// - Throws: `TarProblem` naming the entry and what is wrong with it.
  package mutating func feed(_ bytes: ArraySlice<UInt8>) throws {
    var rest = bytes
    while !rest.isEmpty {
      if skipping > 0 {
        let skipped = min(skipping, rest.count)
        skipping -= skipped
        rest = rest.dropFirst(skipped)
        continue
      }
      let wanted = 512 - pending.count
      pending += rest.prefix(wanted)
      rest = rest.dropFirst(wanted)
      guard pending.count == 512 else { return }
      let block = pending
      pending.removeAll(keepingCapacity: true)
      try read(block)
    }
  }

  /// The stream has ended: it must have ended as an archive does.
  package func finish() throws {
    guard ended, pending.isEmpty, skipping == 0, longName == nil, nextName == nil else {
      throw TarProblem(entries.last?.path, "the archive is cut short after this entry (no end-of-archive blocks)")
    }
  }

  private mutating func read(_ block: [UInt8]) throws {
    if ended {
      trailing += 512
      guard block.allSatisfy({ $0 == 0 }) else { throw TarProblem(nil, "there is data after the archive's end") }
      guard trailing <= 1 << 20 else { throw TarProblem(nil, "more than 1 MiB of padding after the archive's end") }
      return
    }
    if var long = longName {
      long.bytes += block.prefix(long.left)
      long.left -= min(long.left, 512)
      longName = long.left > 0 ? long : nil
      if long.left == 0 { nextName = Array(long.bytes.prefix { $0 != 0 }) }
      return
    }
    if block.allSatisfy({ $0 == 0 }) {
      zeroBlocks += 1
      return
    }
    guard zeroBlocks == 0 else { throw TarProblem(entries.last?.path, "an empty block is followed by more entries") }
    try header(block)
  }

  private mutating func header(_ block: [UInt8]) throws {
    let after = entries.last?.path
    let shown = TerminalText.escaped(String(decoding: nextName ?? Array(block[0..<100].prefix { $0 != 0 }), as: UTF8.self))
    guard Self.checksumMatches(block) else { throw TarProblem(shown, "its header is damaged (the checksum does not match)") }
    guard let size = Self.number(block[124..<136]) else { throw TarProblem(shown, "its header is damaged (the size is not a number)") }
    guard let mode = Self.number(block[100..<108]) else { throw TarProblem(shown, "its header is damaged (the mode is not a number)") }
    let type = block[156]
    switch type {
    case UInt8(ascii: "L"):
      guard nextName == nil else { throw TarProblem(shown, "two long names in a row") }
      // The long name's size counts its closing NUL.
      guard size > 0, size <= limits.nameBytes + 1 else {
        throw TarProblem(after.map { "after \($0)" }, "a long name of \(max(size - 1, 0)) bytes (at most \(limits.nameBytes))")
      }
      longName = ([], size)
      return
    case 0, UInt8(ascii: "0"), UInt8(ascii: "5"): break
    default: throw TarProblem(shown, Self.refusal(of: type, block: block))
    }
    let raw = try nextName ?? Self.headerName(block, after: after)
    nextName = nil
    let name = try Self.name(raw, limits: limits, after: after)
    let isDirectory = type == UInt8(ascii: "5")
    // GNU tar unpacks a file whose name ends in '/' as a folder, and reads its content as more
    // headers, which this check would have skipped as content.
    guard isDirectory || raw.last != UInt8(ascii: "/") else {
      throw TarProblem(shown, "a file whose name ends in '/' (tar would unpack it as a folder and read its \(size) bytes as more entries)")
    }
    guard mode & Self.specialModeBits == 0 else { throw TarProblem(name, "it has the set-user-id, set-group-id or sticky bit (mode \(String(mode, radix: 8)))") }
    let owner = Self.ownerBits(directory: isDirectory)
    guard mode & owner == owner else {
      throw TarProblem(name, "mode \(String(mode, radix: 8)) lacks the owner's \(isDirectory ? "rwx" : "r") (mpf could not check it, or remove it after)")
    }
    guard !isDirectory || size == 0 else { throw TarProblem(name, "a folder that declares \(size) bytes") }
    guard size <= limits.fileBytes else {
      throw TarProblem(name, "it declares \(size) bytes, over the bound of \(limits.fileBytes) bytes for one file")
    }
    total += size
    guard total <= limits.totalBytes else {
      throw TarProblem(name, "the files so far declare \(total) bytes, over the bound of \(limits.totalBytes) bytes for a bundle")
    }
    try place(name)
    entries.append(TarEntry(path: name, isDirectory: isDirectory, size: size))
    skipping = (size + 511) / 512 * 512
  }

  /// Checks that `name` is new, below the one top folder, and within the count.
  private mutating func place(_ name: String) throws {
    guard entries.count < limits.entries else { throw TarProblem(name, "the bundle has more than \(limits.entries) entries") }
    let first = String(name.split(separator: "/").first ?? "")
    if top == nil { top = first }
    guard first == top else { throw TarProblem(name, "it is not below the bundle's top folder \(top ?? "")") }
    guard seen.insert(name).inserted else { throw TarProblem(name, "it appears twice") }
  }

  /// The set-user-id, set-group-id and sticky bits: refused in a bundle, taken off at export.
  package static let specialModeBits = 0o7000

  /// The owner's bits a folder (rwx) or a file (r) must have: mpf reads each file, and
  /// removes the unpacked tree, without being root.
  package static func ownerBits(directory: Bool) -> Int { directory ? 0o700 : 0o400 }

  /// What a refused entry is, by its type.
  private static func refusal(of type: UInt8, block: [UInt8]) -> String {
    let target = String(decoding: block[157..<257].prefix { $0 != 0 }, as: UTF8.self)
    switch type {
    case UInt8(ascii: "1"): return "it is a hard link (to \(target)): a bundle holds only files and folders"
    case UInt8(ascii: "2"): return "it is a symbolic link (to \(target)): a bundle holds only files and folders"
    case UInt8(ascii: "3"), UInt8(ascii: "4"): return "it is a device: a bundle holds only files and folders"
    case UInt8(ascii: "6"): return "it is a FIFO: a bundle holds only files and folders"
    case UInt8(ascii: "x"), UInt8(ascii: "g"): return "a pax extended header: mpf export writes GNU tar (--format=gnu), which has none"
    case UInt8(ascii: "S"): return "it is a sparse file: a bundle holds only plain files"
    case UInt8(ascii: "K"): return "a long link name: a bundle holds no links"
    default: return "an entry of type '\(TerminalText.escaped(String(UnicodeScalar(type))))': a bundle holds only files and folders"
    }
  }

  /// The header's own name, as read: GNU (`ustar  `) or POSIX ustar (`prefix/name`); other
  /// formats refused.
  private static func headerName(_ block: [UInt8], after: String?) throws -> [UInt8] {
    let field = { (range: Range<Int>) in Array(block[range].prefix { $0 != 0 }) }
    let magic = Array(block[257..<265])
    let gnu = Array("ustar  \0".utf8), posix = Array("ustar\u{0}00".utf8)
    var bytes = field(0..<100)
    if magic == posix, !field(345..<500).isEmpty {
      bytes = field(345..<500) + [UInt8(ascii: "/")] + bytes
    } else if magic != posix && magic != gnu {
      throw TarProblem(after.map { "after \($0)" }, "not a tar header of the GNU or ustar format")
    }
    return bytes
  }

  /// A path as the bundle allows it: UTF-8 without control characters, relative, no `.` or
  /// `..` component, no empty one; a folder's trailing `/` is dropped.
  package static func name(_ bytes: [UInt8], limits: BundleLimits = BundleLimits(), after: String? = nil) throws -> String {
    let text = String(decoding: bytes, as: UTF8.self)
    let shown = TerminalText.escaped(text)
    guard !bytes.isEmpty else { throw TarProblem(after.map { "after \($0)" }, "an entry without a name") }
    guard bytes.count <= limits.nameBytes else { throw TarProblem(String(shown.prefix(80)) + "...", "its name is over \(limits.nameBytes) bytes") }
    guard Array(text.utf8) == bytes else { throw TarProblem(shown, "its name is not UTF-8") }
    guard !text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7f }) else {
      throw TarProblem(shown, "its name holds a control character")
    }
    guard !text.hasPrefix("/") else { throw TarProblem(shown, "it is an absolute path: a bundle holds only relative paths") }
    var parts = text.split(separator: "/", omittingEmptySubsequences: false)
    if parts.count > 1, parts.last == "" { parts.removeLast() }
    if parts.contains("..") { throw TarProblem(shown, "it leads outside the bundle (a '..' component)") }
    guard !parts.contains(where: { $0.isEmpty || $0 == "." }) else { throw TarProblem(shown, "its path has an empty or '.' component") }
    return parts.joined(separator: "/")
  }

  /// An octal field (spaces before it, NULs or spaces after), or GNU's positive base-256 (first
  /// byte 0x80); nil for anything else, so that no field is read otherwise than tar reads it
  /// (tar skips a header it cannot read and looks for the next one in what follows).
  static func number(_ field: ArraySlice<UInt8>) -> Int? {
    if field.first == 0x80 {
      var value = 0
      for byte in field.dropFirst() {
        guard value <= Int.max >> 9 else { return Int.max }
        value = value << 8 | Int(byte)
      }
      return value
    }
    let body = field.drop { $0 == 0x20 }
    let digits = body.prefix { (0x30...0x37).contains($0) }
    guard !digits.isEmpty, body.dropFirst(digits.count).allSatisfy({ $0 == 0 || $0 == 0x20 }) else { return nil }
    var value = 0
    for digit in digits {
      guard value <= Int.max >> 4 else { return nil }
      value = value * 8 + Int(digit - 0x30)
    }
    return value
  }

  /// The checksum: the header's bytes summed with its own field taken as spaces.
  private static func checksumMatches(_ block: [UInt8]) -> Bool {
    guard let stored = number(block[148..<156]) else { return false }
    var sum = 0
    for (index, byte) in block.enumerated() { sum += (148..<156).contains(index) ? 0x20 : Int(byte) }
    return sum == stored
  }
}
