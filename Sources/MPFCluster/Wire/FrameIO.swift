#if canImport(Glibc)
  internal import Glibc
#endif
internal import MPFCore

/// Blocking frame reads and writes on file descriptors (the pipes to a worker, or a worker's
/// stdin/stdout). Frames are at most 1 GiB.
package enum FrameIO {
  /// Reads one frame's payload; nil at a clean end of stream (EOF before any byte).
  package static func read(from fd: Int32) throws -> [UInt8]? {
    guard let header = try readExactly(4, from: fd) else { return nil }
    let length = Int(header[0]) | Int(header[1]) << 8 | Int(header[2]) << 16 | Int(header[3]) << 24
    guard length <= 1 << 30 else { throw WireError(description: "frame of \(length) bytes is too large") }
    guard let payload = try readExactly(length, from: fd) else { throw WireError(description: "stream ended inside a frame") }
    return payload
  }

  package static func write(_ frame: [UInt8], to fd: Int32) throws {
    try FileSystem.writeAll(fd, frame)
  }

  private static func readExactly(_ count: Int, from fd: Int32) throws -> [UInt8]? {
    var buffer = [UInt8](repeating: 0, count: count)
    var filled = 0
    while filled < count {
      let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + filled, count - filled) }
      if n < 0 {
        if errno == EINTR { continue }
        throw SystemError("read from the worker stream")
      }
      if n == 0 {
        if filled == 0 { return nil }
        throw WireError(description: "stream ended inside a frame")
      }
      filled += n
    }
    return buffer
  }
}
