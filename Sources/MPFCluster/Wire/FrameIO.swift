package import MPFCore
package import MPFSystem
package import MPFText

/// Blocking frame reads and writes on file descriptors (the pipes to a worker, or a worker's
/// stdin/stdout). Frames are at most 1 GiB.
package enum FrameIO {
  /// Reads one frame's payload; nil at a clean end of stream (EOF before any byte).
  package static func read(from fd: Descriptor) throws -> [UInt8]? {
    guard let header = try readExactly(4, from: fd) else { return nil }
    return try readPayload(header, from: fd)
  }

  /// Reads the first frame of a worker: as `read`, but when the stream starts with text instead
  /// of a frame (a shell startup file that prints a banner on every ssh session, a `motd`), it
  /// says what was seen rather than taking the text for a frame's length.
  package static func readFirst(from fd: Descriptor) throws -> [UInt8]? {
    guard let header = try readExactly(4, from: fd) else { return nil }
    guard header.allSatisfy(Self.isText) else { return try readPayload(header, from: fd) }
    // Frames of mpf are short at first: four bytes of text are no length of one.
    var more = [UInt8](repeating: 0, count: 200)
    let count = (try? fd.read(into: &more)) ?? 0
    let seen = header + more.prefix(max(0, count))
    let text = String(decoding: seen.prefix { $0 != 0 }, as: UTF8.self)
    let line = text.split(whereSeparator: { $0 == "\n" || $0 == "\r" }).first.map(String.init) ?? text
    throw WireError(description: "printed '\(line.escapingControlCharacters)' before mpf's worker answered: a shell startup file (~/.bashrc, ~/.profile, /etc/bash.bashrc) prints text in non-interactive ssh sessions, which corrupts mpf's protocol; make it print only in interactive shells (e.g. put `[ -z \"$PS1\" ] && return` before the output)")
  }

  /// Printable ASCII, tab, CR or LF: what a banner is made of and a frame's length is not.
  private static func isText(_ byte: UInt8) -> Bool { (byte >= 32 && byte < 127) || byte == 9 || byte == 10 || byte == 13 }

  private static func readPayload(_ header: [UInt8], from fd: Descriptor) throws -> [UInt8] {
    let length = Int(header[0]) | Int(header[1]) << 8 | Int(header[2]) << 16 | Int(header[3]) << 24
    guard length <= 1 << 30 else { throw WireError(description: "frame of \(length) bytes is too large") }
    guard let payload = try readExactly(length, from: fd) else { throw WireError(description: "stream ended inside a frame") }
    return payload
  }

  package static func write(_ frame: [UInt8], to fd: Descriptor) throws {
    try fd.write(frame)
  }

  private static func readExactly(_ count: Int, from fd: Descriptor) throws -> [UInt8]? {
    do {
      return try fd.read(exactly: count, path: "the worker stream")
    } catch let error as SystemError where error.code == .invalid {
      throw WireError(description: "stream ended inside a frame")
    }
  }
}
