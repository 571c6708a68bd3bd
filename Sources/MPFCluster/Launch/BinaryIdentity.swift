internal import MPFCore
import MPFSystem
import MPFText

/// What identifies this exact build of mpf on a node: its file, a content hash, its CPU.
package struct BinaryIdentity: Sendable {
  package var path: String
  /// The ELF build-id (a hash the linker computes over the output), or the SHA-256 of the
  /// file when it has none. Nodes cache the binary under this name.
  package var hash: String
  package var size: Int
  /// Its modification time (seconds): with `size`, how a node on a shared filesystem sees
  /// that the file at `path` is this very build.
  package var modified: Int = 0
  /// `uname -m` of this machine (x86_64, aarch64, ...).
  package var architecture: String

  /// - Throws: `SystemError` when the executable cannot be read.
  ///
  /// Reads only the file's first 64 KiB when the build-id note is there (it sits right after
  /// the program headers), the whole file otherwise.
  package static func current() throws -> BinaryIdentity {
    let path = FileSystem.currentExecutable()
    // The running file itself, even when its path now names another (a node's cached copy
    // replaced by a second experiment's copy while this one starts): /proc/self/exe, not `path`.
    let running = "/proc/self/exe"
    let file = try FileDescriptor.open(running, .readOnly)
    let status = try file.status()
    let head = try file.readAll(limit: 65536)
    let hash: String
    if let id = buildID(ofELF: head) {
      hash = "b" + id
    } else {
      hash = "s" + SHA256.hex(try FileSystem.read(running))
    }
    var identity = BinaryIdentity(path: path, hash: hash, size: status.size, architecture: localArchitecture())
    identity.modified = status.modified
    return identity
  }

  package static func localArchitecture() -> String { ThisProcess.machine.architecture }

  /// The NT_GNU_BUILD_ID note of a 64-bit little-endian ELF file, in hex; nil if absent.
  package static func buildID(ofELF bytes: [UInt8]) -> String? {
    func u16(_ at: Int) -> Int { at + 2 <= bytes.count ? Int(bytes[at]) | Int(bytes[at + 1]) << 8 : 0 }
    func u32(_ at: Int) -> Int { at + 4 <= bytes.count ? u16(at) | u16(at + 2) << 16 : 0 }
    func u64(_ at: Int) -> Int { at + 8 <= bytes.count ? u32(at) | u32(at + 4) << 32 : 0 }
    guard bytes.count > 64, bytes[0..<4].elementsEqual([0x7f, 0x45, 0x4c, 0x46]), bytes[4] == 2, bytes[5] == 1 else { return nil }
    let headers = u64(0x20), entrySize = u16(0x36), count = u16(0x38)
    for i in 0..<count {
      let header = headers + i * entrySize
      guard u32(header) == 4 else { continue }  // PT_NOTE
      var note = u64(header + 0x08)
      let end = min(note + u64(header + 0x20), bytes.count)
      while note + 12 <= end {
        let nameSize = u32(note), descSize = u32(note + 4), type = u32(note + 8)
        let name = note + 12
        let desc = name + (nameSize + 3) / 4 * 4
        if type == 3, nameSize == 4, desc + descSize <= end, bytes[name..<name + 3].elementsEqual(Array("GNU".utf8)) {
          return bytes[desc..<desc + descSize].map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
        }
        note = desc + (descSize + 3) / 4 * 4
      }
    }
    return nil
  }
}
