#if canImport(Glibc)
  package import Glibc
#endif

/// An open file descriptor that closes itself: the one owner of each descriptor mpf opens.
/// Every call on it is checked and throws `SystemError` naming the file.
package final class FileDescriptor {
  package let raw: Int32
  /// The file's path, for messages.
  package let path: String

  private init(raw: Int32, path: String) {
    self.raw = raw
    self.path = path
  }

  deinit { Glibc.close(raw) }

  /// `open(2)` with O_CLOEXEC added.
  package static func open(_ path: String, _ flags: Int32, mode: mode_t = 0o644) throws -> FileDescriptor {
    let fd = try syscall(flags & O_CREAT != 0 ? "create" : "open", path: path) { Glibc.open(path, flags | O_CLOEXEC, mode) }
    return FileDescriptor(raw: fd, path: path)
  }

  /// Writes every byte, retrying short writes.
  package func write(_ bytes: [UInt8]) throws { try FileSystem.writeAll(raw, bytes, path: path) }

  /// Reads to the end of the file (at most `limit` bytes).
  package func readAll(limit: Int = Int.max) throws -> [UInt8] { try FileSystem.readAll(raw, path: path, limit: limit) }

  /// Cuts the file to `size` bytes and puts the offset there.
  package func truncate(to size: off_t) throws {
    try syscall("truncate", path: path) { ftruncate(raw, size) }
    try syscall("seek in", path: path) { lseek(raw, size, SEEK_SET) }
  }

  /// `fsync(2)`.
  package func sync() throws { try syscall("fsync", path: path) { fsync(raw) } }
}
