#if canImport(Glibc)
  internal import Glibc
#endif
internal import CSystem

/// A descriptor number, not owned (the standard streams, a pipe's ends, the worker's protocol
/// streams): every call on it is checked, and a failure throws `SystemError` naming `path`
/// when one is given. `FileDescriptor` owns one and closes it.
package struct Descriptor: Hashable, Sendable {
  package let raw: Int32
  package init(raw: Int32) { self.raw = raw }

  package static let standardInput = Descriptor(raw: 0)
  package static let standardOutput = Descriptor(raw: 1)
  package static let standardError = Descriptor(raw: 2)

  /// Reads what is there into `buffer` (at most its size, one call): the count, 0 at end of file.
  package func read(into buffer: inout [UInt8], path: String? = nil) throws -> Int {
    try syscall("read", path: path) { buffer.withUnsafeMutableBytes { Glibc.read(raw, $0.baseAddress, $0.count) } }
  }

  /// Reads exactly `count` bytes; nil at an end of file before the first, `SystemError` (EINVAL)
  /// at one inside them.
  package func read(exactly count: Int, path: String? = nil) throws -> [UInt8]? {
    var buffer = [UInt8](repeating: 0, count: count)
    var filled = 0
    while filled < count {
      let n = try syscall("read", path: path) {
        buffer.withUnsafeMutableBytes { Glibc.read(raw, $0.baseAddress! + filled, count - filled) }
      }
      if n == 0 {
        if filled == 0 { return nil }
        throw SystemError("read \(count) bytes (the stream ended after \(filled))", path: path, code: .invalid)
      }
      filled += n
    }
    return buffer
  }

  /// Reads until end of file, at most `limit` bytes.
  package func readAll(limit: Int = Int.max, path: String? = nil) throws -> [UInt8] {
    var bytes: [UInt8] = []
    // A file's size is known: one buffer of that size, rather than doubling (a 17 MB file
    // would otherwise pass through buffers of 16 and 32 MB).
    if let status = try? status(), status.kind == .regular, status.size > 0 {
      bytes.reserveCapacity(min(status.size + 1, limit))
    }
    var chunk = [UInt8](repeating: 0, count: 65536)
    while bytes.count < limit {
      let n = try read(into: &chunk, path: path)
      if n == 0 { break }
      bytes.append(contentsOf: chunk[0..<n])
    }
    return bytes
  }

  /// Reads up to `buffer.count` bytes at `offset` (`pread`): the count, 0 past the end.
  package func read(into buffer: inout [UInt8], at offset: Int, count: Int? = nil, path: String? = nil) throws -> Int {
    try syscall("read", path: path) {
      buffer.withUnsafeMutableBytes { pread(raw, $0.baseAddress, min(count ?? $0.count, $0.count), off_t(offset)) }
    }
  }

  /// Writes every byte, retrying short writes.
  package func write(_ bytes: some Collection<UInt8>, path: String? = nil) throws {
    let written: Void? = try bytes.withContiguousStorageIfAvailable { try write(raw: UnsafeRawBufferPointer($0), path: path) }
    if written == nil { try Array(bytes).withUnsafeBytes { try write(raw: $0, path: path) } }
  }

  private func write(raw buffer: UnsafeRawBufferPointer, path: String?) throws {
    var offset = 0
    while offset < buffer.count {
      offset += try syscall("write", path: path) { Glibc.write(raw, buffer.baseAddress! + offset, buffer.count - offset) }
    }
  }

  /// Closes the descriptor. Linux frees the number even when `close` reports an error, so
  /// there is nothing to retry: what was written is checked by `write` and `sync`.
  package func close() { _ = Glibc.close(raw) }

  /// A new descriptor for the same file, closed on exec (`F_DUPFD_CLOEXEC`), above 2.
  package func duplicate() throws -> Descriptor {
    Descriptor(raw: try syscall("duplicate a descriptor") { fcntl(raw, F_DUPFD_CLOEXEC, 3) })
  }

  /// Makes `target` a copy of this descriptor (`dup2`): what was open there is closed.
  package func duplicate(as target: Descriptor) throws {
    try syscall("duplicate a descriptor") { dup2(raw, target.raw) }
  }

  /// What the descriptor is open on (`fstat`).
  package func status(path: String? = nil) throws -> FileStatus {
    var info = stat()
    try syscall("stat", path: path) { fstat(raw, &info) }
    return FileStatus(info)
  }

  /// Takes a `flock` without waiting: true when taken, false when another holds a conflicting one.
  package func tryLock(exclusive: Bool, path: String? = nil) throws -> Bool {
    switch valueOrErrno({ flock(raw, (exclusive ? LOCK_EX : LOCK_SH) | LOCK_NB) }) {
    case .success: return true
    case .failure(let code) where code == .wouldBlock: return false
    case .failure(let code): throw SystemError("lock", path: path, code: code)
    }
  }

  /// Lets go of a `flock`.
  package func unlock(path: String? = nil) throws { try syscall("unlock", path: path) { flock(raw, LOCK_UN) } }

  /// Cuts the file to `size` bytes and puts the offset there.
  package func truncate(to size: Int, path: String? = nil) throws {
    try syscall("truncate", path: path) { ftruncate(raw, off_t(size)) }
    try syscall("seek in", path: path) { lseek(raw, off_t(size), SEEK_SET) }
  }

  /// The offset of the end of the file (`lseek SEEK_END`).
  package func endOffset(path: String? = nil) throws -> Int {
    Int(try syscall("seek in", path: path) { lseek(raw, 0, SEEK_END) })
  }

  /// `fsync(2)`.
  package func sync(path: String? = nil) throws { try syscall("fsync", path: path) { fsync(raw) } }

  /// Whether the descriptor is a terminal.
  package var isTerminal: Bool { isatty(raw) == 1 }

  /// A pipe whose ends are closed on exec.
  package static func pipe() throws -> (read: Descriptor, write: Descriptor) {
    var ends: [Int32] = [-1, -1]
    try syscall("create a pipe") { csystem_pipe_cloexec(&ends) }
    return (Descriptor(raw: ends[0]), Descriptor(raw: ends[1]))
  }
}

/// What `poll` waits for and reports on a descriptor.
package struct PollEvents: OptionSet, Sendable {
  package let rawValue: Int16
  package init(rawValue: Int16) { self.rawValue = rawValue }
  /// Data to read (or an end of file).
  package static let readable = PollEvents(rawValue: Int16(POLLIN))
  /// The other end closed (reported whether asked or not).
  package static let hangUp = PollEvents(rawValue: Int16(POLLHUP))
  package static let error = PollEvents(rawValue: Int16(POLLERR))
  /// Not an open descriptor.
  package static let invalid = PollEvents(rawValue: Int16(POLLNVAL))
}

extension Descriptor {
  /// Waits up to `milliseconds` (-1: without limit) until one of `watched` is ready.
  ///
  /// - Returns: each descriptor's events, in order (all empty at the timeout); nil when a signal
  ///   interrupted the wait, so that the caller looks at its flags before waiting again.
  package static func poll(_ watched: [(Descriptor, PollEvents)], milliseconds: Int) throws -> [PollEvents]? {
    var entries = watched.map { pollfd(fd: $0.0.raw, events: $0.1.rawValue, revents: 0) }
    // Negative is "no limit"; a wait longer than poll can say (24 days) is cut to the longest it can.
    let timeout = milliseconds < 0 ? -1 : Int32(clamping: milliseconds)
    let result = entries.withUnsafeMutableBufferPointer { Glibc.poll($0.baseAddress, nfds_t($0.count), timeout) }
    if result < 0 {
      if Errno.current == .interrupted { return nil }
      throw SystemError("poll")
    }
    return entries.map { PollEvents(rawValue: $0.revents) }
  }
}

/// What a path or descriptor is, from `stat`.
package struct FileStatus: Sendable, Equatable {
  package enum Kind: Sendable, Equatable {
    case regular, directory, symbolicLink, fifo, socket, device
  }
  package var kind: Kind
  package var size: Int
  /// Modification time, seconds since the epoch, and the nanoseconds past that second.
  package var modified: Int
  package var modifiedNanoseconds: Int
  /// `st_mode`: the kind and permission bits.
  package var mode: UInt32

  init(_ info: stat) {
    switch info.st_mode & S_IFMT {
    case S_IFREG: kind = .regular
    case S_IFDIR: kind = .directory
    case S_IFLNK: kind = .symbolicLink
    case S_IFIFO: kind = .fifo
    case S_IFSOCK: kind = .socket
    default: kind = .device
    }
    size = Int(info.st_size)
    modified = Int(info.st_mtim.tv_sec)
    modifiedNanoseconds = Int(info.st_mtim.tv_nsec)
    mode = UInt32(info.st_mode)
  }

  /// What it is, for a message: "a symbolic link", "a FIFO", ...
  package var kindDescription: String {
    switch kind {
    case .regular: "a regular file"
    case .directory: "a directory"
    case .symbolicLink: "a symbolic link"
    case .fifo: "a FIFO"
    case .socket: "a socket"
    case .device: "a device"
    }
  }
}

/// An open file descriptor that closes itself: the one owner of each descriptor mpf opens.
/// Every call on it is checked and throws `SystemError` naming the file.
///
/// Its number is not handed out: a call made on the number after the object's last use could
/// find it closed (Swift may end an object's life right after its last use), so every call is
/// a method, during which the object lives.
package final class FileDescriptor: Sendable {
  /// The number; only for calls made while `self` is certainly alive (a method of this class,
  /// or a `Subprocess.Stream.file` holding it).
  let descriptor: Descriptor
  /// The file's path, for messages.
  package let path: String
  private var raw: Int32 { descriptor.raw }

  /// Takes ownership of `descriptor`: it is closed with this object.
  package init(adopting descriptor: Descriptor, path: String) {
    self.descriptor = descriptor
    self.path = path
  }

  deinit { descriptor.close() }

  /// How a file is opened.
  package enum Access: Sendable {
    case readOnly, writeOnly, readWrite
    var flags: Int32 {
      switch self {
      case .readOnly: O_RDONLY
      case .writeOnly: O_WRONLY
      case .readWrite: O_RDWR
      }
    }
  }

  /// `open(2)` flags beside the access mode (O_CLOEXEC is always added).
  package struct Options: OptionSet, Sendable {
    package let rawValue: Int32
    package init(rawValue: Int32) { self.rawValue = rawValue }
    package static let create = Options(rawValue: O_CREAT)
    package static let truncate = Options(rawValue: O_TRUNC)
    package static let append = Options(rawValue: O_APPEND)
    /// With `create`: fail when the file exists (a link there included).
    package static let exclusive = Options(rawValue: O_EXCL)
    /// Fail (ELOOP) when the last component is a symbolic link.
    package static let noFollow = Options(rawValue: O_NOFOLLOW)
    /// Do not wait: a FIFO without a writer opens at once.
    package static let nonBlocking = Options(rawValue: O_NONBLOCK)
    /// Fail (ENOTDIR) unless it is a directory.
    package static let directory = Options(rawValue: O_DIRECTORY)
  }

  /// `open(2)` of a path.
  package static func open(
    _ path: String, _ access: Access, options: Options = [], permissions: UInt32 = 0o644
  ) throws -> FileDescriptor {
    let flags = access.flags | options.rawValue | O_CLOEXEC
    let fd = try syscall(options.contains(.create) ? "create" : "open", path: path) { Glibc.open(path, flags, mode_t(permissions)) }
    return FileDescriptor(adopting: Descriptor(raw: fd), path: path)
  }

  /// `openat(2)` of one name in this directory; `path` names it in messages.
  package func open(
    _ name: String, _ access: Access, options: Options = [], permissions: UInt32 = 0o644, path: String
  ) throws -> FileDescriptor {
    let flags = access.flags | options.rawValue | O_CLOEXEC
    let fd = try syscall(options.contains(.create) ? "create" : "open", path: path) { openat(raw, name, flags, mode_t(permissions)) }
    return FileDescriptor(adopting: Descriptor(raw: fd), path: path)
  }

  /// `mkdirat(2)` of one name in this directory: false when something is there already.
  package func makeDirectory(_ name: String, permissions: UInt32 = 0o755, path: String) throws -> Bool {
    switch valueOrErrno({ mkdirat(raw, name, mode_t(permissions)) }) {
    case .success: return true
    case .failure(let code) where code == .exists: return false
    case .failure(let code): throw SystemError("create directory", path: path, code: code)
    }
  }

  /// `renameat(2)` within this directory (a link at `to` is replaced, never followed).
  package func rename(_ name: String, to target: String, path: String) throws {
    try syscall("rename", path: path) { renameat(raw, name, raw, target) }
  }

  /// `unlinkat(2)` of a file in this directory; a missing one is no error.
  package func removeFile(_ name: String) {
    _ = unlinkat(raw, name, 0)
  }

  /// What `name` in this directory is, without following a link (`fstatat`); nil when absent.
  package func status(of name: String) -> FileStatus? {
    var info = stat()
    guard fstatat(raw, name, &info, AT_SYMLINK_NOFOLLOW) == 0 else { return nil }
    return FileStatus(info)
  }

  /// Writes every byte, retrying short writes.
  package func write(_ bytes: some Collection<UInt8>) throws { try descriptor.write(bytes, path: path) }

  /// Reads what is there into `buffer` (one call): the count, 0 at end of file.
  package func read(into buffer: inout [UInt8]) throws -> Int { try descriptor.read(into: &buffer, path: path) }

  /// Reads up to `count` bytes at `offset` into `buffer` (`pread`): the count, 0 past the end.
  package func read(into buffer: inout [UInt8], at offset: Int, count: Int? = nil) throws -> Int {
    try descriptor.read(into: &buffer, at: offset, count: count, path: path)
  }

  /// The offset of the end of the file.
  package func endOffset() throws -> Int { try descriptor.endOffset(path: path) }

  /// Makes `target` a copy of this descriptor (`dup2`).
  package func duplicate(as target: Descriptor) throws { try descriptor.duplicate(as: target) }

  /// Takes a `flock` without waiting: true when taken, false when another holds a conflicting one.
  package func tryLock(exclusive: Bool) throws -> Bool { try descriptor.tryLock(exclusive: exclusive, path: path) }

  /// Lets go of the `flock`.
  package func unlock() throws { try descriptor.unlock(path: path) }

  /// Reads to the end of the file (at most `limit` bytes).
  package func readAll(limit: Int = Int.max) throws -> [UInt8] { try descriptor.readAll(limit: limit, path: path) }

  /// Cuts the file to `size` bytes and puts the offset there.
  package func truncate(to size: Int) throws { try descriptor.truncate(to: size, path: path) }

  /// `fsync(2)`.
  package func sync() throws { try descriptor.sync(path: path) }

  /// What the file is (`fstat`).
  package func status() throws -> FileStatus { try descriptor.status(path: path) }
}
