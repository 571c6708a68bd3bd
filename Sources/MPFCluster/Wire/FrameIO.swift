package import MPFCore

/// Blocking frame reads and writes on file descriptors (the pipes to a worker, or a worker's
/// stdin/stdout). Frames are at most 1 GiB.
package enum FrameIO {
  /// Reads one frame's payload; nil at a clean end of stream (EOF before any byte).
  package static func read(from fd: Descriptor) throws -> [UInt8]? {
    guard let header = try readExactly(4, from: fd) else { return nil }
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
