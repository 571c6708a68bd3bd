import Testing
import MPFHost

/// The tar header checks of `mpf replay`, apart from any file: paths, sizes, stream ends.
@Suite struct TarCheckTests {
  /// A GNU header for `name` of `type` declaring `size` (octal, or base-256 when `base256`).
  static func header(_ name: String, type: UInt8 = 0x30, size: Int = 0, base256: Bool = false, magic: String = "ustar  \0", prefix: String = "") -> [UInt8] {
    var block = [UInt8](repeating: 0, count: 512)
    func put(_ text: String, _ offset: Int) { for (i, byte) in Array(text.utf8).enumerated() { block[offset + i] = byte } }
    put(name, 0)
    put("0000644", 100)
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
}
