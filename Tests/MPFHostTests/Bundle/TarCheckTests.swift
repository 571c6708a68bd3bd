import Testing
import MPFHost

/// The tar header checks of `mpf replay`, apart from any file: paths, sizes, stream ends.
@Suite struct TarCheckTests {
  /// A GNU header for `name` of `type` declaring `size` (octal, or base-256 when `base256`).
  static func header(
    _ name: String, type: UInt8 = 0x30, size: Int = 0, base256: Bool = false, magic: String = "ustar  \0", prefix: String = "", mode: String = "0000755"
  ) -> [UInt8] {
    var block = [UInt8](repeating: 0, count: 512)
    func put(_ text: String, _ offset: Int) { for (i, byte) in Array(text.utf8).enumerated() { block[offset + i] = byte } }
    put(name, 0)
    put(mode, 100)
    if base256 {
      block[124] = 0x80
      var value = size
      for index in stride(from: 135, to: 124, by: -1) {
        block[index] = UInt8(value & 0xff)
        value >>= 8
      }
    } else {
      put(String(repeating: "0", count: 11 - String(size, radix: 8).count) + String(size, radix: 8), 124)
    }
    block[156] = type
    put(magic, 257)
    put(prefix, 345)
    put("        ", 148)
    let sum = block.reduce(0) { $0 + Int($1) }
    put(String(repeating: "0", count: 6 - String(sum, radix: 8).count) + String(sum, radix: 8), 148)
    block[154] = 0
    return block
  }

  static func check(_ blocks: [[UInt8]], end: Bool = true) throws -> [TarEntry] {
    var check = TarCheck()
    try check.feed((blocks.flatMap { $0 } + (end ? [UInt8](repeating: 0, count: 1024) : []))[...])
    try check.finish()
    return check.entries
  }

  @Test(arguments: [
    ("/etc/passwd", "it is an absolute path: a bundle holds only relative paths"),
    ("b/../x", "it leads outside the bundle (a '..' component)"),
    ("..", "it leads outside the bundle (a '..' component)"),
    ("b/./x", "its path has an empty or '.' component"),
    ("b//x", "its path has an empty or '.' component"),
    ("b/\u{1b}[2J", "its name holds a control character"),
  ])
  func badPathsAreRefused(path: String, reason: String) {
    #expect(throws: TarProblem(path.contains("\u{1b}") ? "b/\\e[2J" : path, reason)) { try TarCheck.name(Array(path.utf8)) }
  }

  @Test func aFolderKeepsItsNameWithoutTheSlashAndEntriesAreListed() throws {
    let entries = try Self.check([Self.header("b/", type: 0x35), Self.header("b/f", size: 3) + [UInt8](repeating: 0x41, count: 512)])
    #expect(entries.map { "\($0.path) \($0.isDirectory) \($0.size)" } == ["b true 0", "b/f false 3"])
  }

  @Test func aBase256SizeIsReadAndBounded() {
    #expect(throws: TarProblem("b/f", "it declares 8589934592 bytes, over the bound of 1073741824 bytes for one file")) {
      try Self.check([Self.header("b/f", size: 8 << 30, base256: true)])
    }
  }

  @Test func aUstarPrefixIsPartOfTheName() throws {
    let entries = try Self.check([Self.header("f", magic: "ustar\u{0}00", prefix: "b/long")])
    #expect(entries.map(\.path) == ["b/long/f"])
  }

  @Test func aDamagedHeaderOrAnotherFormatIsRefused() {
    var damaged = Self.header("b/f")
    damaged[0] = UInt8(ascii: "c")
    #expect(throws: TarProblem("c/f", "its header is damaged (the checksum does not match)")) { try Self.check([damaged]) }
    #expect(throws: TarProblem(nil, "not a tar header of the GNU or ustar format")) { try Self.check([Self.header("b/f", magic: "xxxxxxxx")]) }
  }

  @Test func entriesOutsideTheTopFolderOrTwiceAreRefused() {
    #expect(throws: TarProblem("c/f", "it is not below the bundle's top folder b")) { try Self.check([Self.header("b/f"), Self.header("c/f")]) }
    #expect(throws: TarProblem("b/f", "it appears twice")) { try Self.check([Self.header("b/f"), Self.header("b/f")]) }
  }

  @Test func dataAfterTheEndIsRefused() {
    var check = TarCheck()
    #expect(throws: TarProblem(nil, "there is data after the archive's end")) {
      try check.feed(([UInt8](repeating: 0, count: 1024) + Self.header("b/f"))[...])
    }
  }

  /// A file entry whose name ends in '/': GNU tar unpacks it as a folder and reads its content
  /// as more headers (here a device's), which the check would have skipped.
  @Test(arguments: [UInt8(0x30), 0])
  func aFileWhoseNameEndsInASlashIsRefused(type: UInt8) {
    let smuggled = Self.header("b/zz/dev", type: 0x33) + [UInt8](repeating: 0, count: 1024)
    let entry = Self.header("b/zz/", type: type, size: smuggled.count) + smuggled
    #expect(throws: TarProblem("b/zz/", "a file whose name ends in '/' (tar would unpack it as a folder and read its 1536 bytes as more entries)")) {
      try Self.check([Self.header("b/", type: 0x35), entry])
    }
    // The same through a ustar prefix and an empty name.
    #expect(throws: TarProblem("", "a file whose name ends in '/' (tar would unpack it as a folder and read its 0 bytes as more entries)")) {
      try Self.check([Self.header("", magic: "ustar\u{0}00", prefix: "b/zz")])
    }
  }

  /// A GNU long-name entry counts its closing NUL: a name of exactly 4096 bytes is allowed.
  @Test func aLongNameOfTheBoundIsAllowed() throws {
    func long(_ name: String) -> [[UInt8]] {
      let data = Array(name.utf8) + [0]
      let padded = data + [UInt8](repeating: 0, count: (512 - data.count % 512) % 512)
      return [Self.header("././@LongLink", type: UInt8(ascii: "L"), size: data.count), padded, Self.header(String(name.prefix(99)))]
    }
    let name = "b/" + String(repeating: "x", count: 4094)
    #expect(try Self.check(long(name)).map(\.path) == [name])
    #expect(throws: TarProblem(nil, "a long name of 4097 bytes (at most 4096)")) { try Self.check(long(name + "y")) }
  }

  /// Numbers tar would read otherwise (a leading NUL tar skips, a base-256 mark tar does not
  /// know, text after the digits) are refused as damage, not read as something else.
  @Test(arguments: [[UInt8(0)] + Array("0001000".utf8), [0x81, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0], Array("0001000x".utf8)])
  func aSizeTarWouldReadOtherwiseIsRefused(field: [UInt8]) {
    var block = Self.header("b/f")
    for index in 124..<136 { block[index] = index - 124 < field.count ? field[index - 124] : 0 }
    for index in 148..<156 { block[index] = 0x20 }
    let sum = block.reduce(0) { $0 + Int($1) }
    let text = String(repeating: "0", count: 6 - String(sum, radix: 8).count) + String(sum, radix: 8)
    for (offset, byte) in Array(text.utf8).enumerated() { block[148 + offset] = byte }
    block[154] = 0
    #expect(throws: TarProblem("b/f", "its header is damaged (the size is not a number)")) { try Self.check([block]) }
  }

  /// A folder without the owner's rwx, a file without the owner's r: mpf, not root, could not
  /// check it or remove it after.
  @Test func modesMpfCannotUndoAreRefused() {
    #expect(throws: TarProblem("b", "mode 0 lacks the owner's rwx (mpf could not check it, or remove it after)")) {
      try Self.check([Self.header("b/", type: 0x35, mode: "0000000")])
    }
    #expect(throws: TarProblem("b/f", "mode 244 lacks the owner's r (mpf could not check it, or remove it after)")) {
      try Self.check([Self.header("b/", type: 0x35), Self.header("b/f", mode: "0000244")])
    }
    #expect(throws: TarProblem("b/f", "it has the set-user-id, set-group-id or sticky bit (mode 4755)")) {
      try Self.check([Self.header("b/f", mode: "0004755")])
    }
  }
}
