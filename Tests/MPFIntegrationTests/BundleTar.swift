import MPFSystem
import MPFText

/// Writes tar streams by hand, hostile ones included (links, devices, absolute paths, sizes
/// that lie), then gzips them: the bundles `mpf replay` must refuse.
struct BundleTar {
  enum Kind: UInt8 {
    case file = 0x30, hardLink = 0x31, symbolicLink = 0x32, characterDevice = 0x33, directory = 0x35, fifo = 0x36, pax = 0x78
  }

  private(set) var bytes: [UInt8] = []

  /// One entry: its header (GNU format) and its content padded to 512 bytes; `declaredSize`
  /// is what the header says when it is not the content's size.
  mutating func add(_ name: String, _ kind: Kind = .file, content: [UInt8] = [], declaredSize: Int? = nil, link: String = "", mode: Int = 0o644) {
    var header = [UInt8](repeating: 0, count: 512)
    func put(_ text: String, at offset: Int, width: Int) {
      for (index, byte) in Array(text.utf8).prefix(width).enumerated() { header[offset + index] = byte }
    }
    func octal(_ value: Int, width: Int) -> String {
      let digits = String(value, radix: 8)
      return String(repeating: "0", count: max(0, width - 1 - digits.count)) + digits
    }
    put(name, at: 0, width: 100)
    put(octal(mode, width: 8), at: 100, width: 7)
    put(octal(0, width: 8), at: 108, width: 7)
    put(octal(0, width: 8), at: 116, width: 7)
    put(octal(declaredSize ?? content.count, width: 12), at: 124, width: 11)
    put(octal(0, width: 12), at: 136, width: 11)
    put("        ", at: 148, width: 8)
    header[156] = kind.rawValue
    put(link, at: 157, width: 100)
    put("ustar  \0", at: 257, width: 8)
    let sum = header.reduce(0) { $0 + Int($1) }
    put(octal(sum, width: 7), at: 148, width: 6)
    header[154] = 0
    header[155] = 0x20
    bytes += header
    bytes += content
    bytes += [UInt8](repeating: 0, count: (512 - content.count % 512) % 512)
  }

  /// Many empty files at once: one header made, then only its name and checksum changed for
  /// each (100 000 entries made one by one kept a thread of the test pool busy for seconds, and
  /// the timed tests beside it waited).
  mutating func addEmptyFiles(_ names: [String]) {
    var template = BundleTar()
    template.add("")
    let header = template.bytes
    let base = header.reduce(0) { $0 + Int($1) } - header[148..<156].reduce(0) { $0 + Int($1) } + 8 * 0x20
    bytes.reserveCapacity(bytes.count + names.count * 512)
    for name in names {
      var block = header
      let utf8 = Array(name.utf8.prefix(100))
      block.replaceSubrange(0..<utf8.count, with: utf8)
      let digits = Array(String(base + utf8.reduce(0) { $0 + Int($1) }, radix: 8).utf8)
      let field = [UInt8](repeating: 0x30, count: 6 - digits.count) + digits + [0, 0x20]
      block.replaceSubrange(148..<156, with: field)
      bytes += block
    }
  }

  /// The end-of-archive blocks, then the stream gzip'd into `path`.
  func write(gzippedTo path: String) async throws {
    let tar = path + ".tar"
    try FileSystem.writeAtomically(tar, bytes + [UInt8](repeating: 0, count: 1024))
    let zipped = try await MPFCommand.runProgram(["gzip", "-f", tar], in: FileSystem.dirname(path))
    guard zipped.status == 0 else { throw SystemError(refusing: path, "gzip failed: \(zipped.stderr)") }
    try FileSystem.rename(tar + ".gz", to: path)
  }
}
