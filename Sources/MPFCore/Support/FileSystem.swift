#if canImport(Glibc)
  package import Glibc
#endif

/// File operations on paths, throwing `SystemError` with the path in the message.
package enum FileSystem {
  package static func read(_ path: String) throws -> [UInt8] {
    let fd = try syscall("open", path: path) { open(path, O_RDONLY | O_CLOEXEC) }
    defer { close(fd) }
    return try readAll(fd, path: path)
  }

  package static func readString(_ path: String) throws -> String {
    String(decoding: try read(path), as: UTF8.self)
  }

  /// Reads until end of file.
  package static func readAll(_ fd: Int32, path: String? = nil, limit: Int = Int.max) throws -> [UInt8] {
    var bytes: [UInt8] = []
    // A file's size is known: one buffer of that size, rather than doubling (a 17 MB file
    // would otherwise pass through buffers of 16 and 32 MB).
    var status = stat()
    if fstat(fd, &status) == 0, status.st_mode & S_IFMT == S_IFREG, status.st_size > 0 {
      bytes.reserveCapacity(min(Int(status.st_size) + 1, limit))
    }
    var chunk = [UInt8](repeating: 0, count: 65536)
    while bytes.count < limit {
      let n = try syscall("read", path: path) { chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) } }
      if n == 0 { break }
      bytes.append(contentsOf: chunk[0..<n])
    }
    return bytes
  }

  /// Copies the bytes `range` of the file at `path` to `fd`, a block at a time.
  ///
  /// - Returns: how many bytes were copied (fewer when the file is shorter).
  package static func copy(_ range: Range<Int>, of path: String, to fd: Int32) throws -> Int {
    let source = try syscall("open", path: path) { open(path, O_RDONLY | O_CLOEXEC) }
    defer { close(source) }
    var block = [UInt8](repeating: 0, count: 1 << 20)
    var offset = range.lowerBound
    while offset < range.upperBound {
      let n = try syscall("read", path: path) {
        block.withUnsafeMutableBytes { pread(source, $0.baseAddress, min($0.count, range.upperBound - offset), off_t(offset)) }
      }
      if n == 0 { break }
      try writeAll(fd, Array(block[0..<n]), path: path)
      offset += n
    }
    return offset - range.lowerBound
  }

  /// Writes all bytes, retrying short writes.
  package static func writeAll(_ fd: Int32, _ bytes: [UInt8], path: String? = nil) throws {
    var offset = 0
    while offset < bytes.count {
      let n = try syscall("write", path: path) {
        bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
      }
      offset += n
    }
  }

  /// Writes a file atomically: a temporary file beside it, fsync, then rename.
  package static func writeAtomically(_ path: String, _ bytes: [UInt8], mode: mode_t = 0o644) throws {
    try writeAtomically(path, mode: mode) { try writeAll($0, bytes, path: path) }
  }

  /// Writes what `write` writes into a new file, then puts it at `path` (fsync, rename): the old
  /// file stays readable until then.
  package static func writeAtomically(_ path: String, mode: mode_t = 0o644, write: (Int32) throws -> Void) throws {
    let temporary = "\(path).tmp-\(getpid())"
    let fd = try syscall("create", path: temporary) { open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode) }
    do {
      try write(fd)
      try syscall("fsync", path: temporary) { fsync(fd) }
      close(fd)
      try syscall("rename", path: path) { rename(temporary, path) }
    } catch {
      close(fd)
      unlink(temporary)
      throw error
    }
  }

  package static func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }

  package static func isDirectory(_ path: String) -> Bool {
    var info = stat()
    return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
  }

  /// `mkdir -p`.
  package static func createDirectory(_ path: String) throws {
    if isDirectory(path) { return }
    let parent = dirname(path)
    if parent != path, !parent.isEmpty { try createDirectory(parent) }
    if mkdir(path, 0o755) != 0 && errno != EEXIST { throw SystemError("create directory", path: path) }
  }

  /// The directory part of a path (`a/b/c` → `a/b`, `c` → `.`).
  package static func dirname(_ path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return "." }
    if slash == path.startIndex { return "/" }
    return String(path[..<slash])
  }

  /// The last component of a path.
  package static func basename(_ path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return path }
    return String(path[path.index(after: slash)...])
  }

  package static func join(_ a: String, _ b: String) -> String {
    if a.isEmpty || b.hasPrefix("/") { return b }
    return a.hasSuffix("/") ? a + b : a + "/" + b
  }

  /// `path` from the root: joined to the current directory when relative; `.` and `..`
  /// components resolved in the text (links are not followed).
  package static func absolute(_ path: String) -> String {
    var base = path
    if !path.hasPrefix("/") {
      var buffer = [CChar](repeating: 0, count: 4096)
      let cwd = getcwd(&buffer, buffer.count) != nil ? String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) : "/"
      base = join(cwd, path)
    }
    var parts: [Substring] = []
    for part in base.split(separator: "/") {
      if part == "." { continue }
      if part == ".." {
        _ = parts.popLast()
      } else {
        parts.append(part)
      }
    }
    return "/" + parts.joined(separator: "/")
  }

  /// The path of the running executable (`/proc/self/exe`).
  package static func currentExecutable() -> String {
    var buffer = [CChar](repeating: 0, count: 4096)
    let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
    guard n > 0 else { return CommandLine.arguments.first ?? "mpf" }
    return String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }

  package static func removeFile(_ path: String) { unlink(path) }
}

extension FileSystem {
  /// Writes to standard error, ignoring failures (there is nowhere else to report them).
  package static func writeStderr(_ text: String) {
    try? writeAll(2, Array(text.utf8))
  }

  /// Writes to standard output after what C's stdio holds for it (Lua's `io.write`), so both
  /// come out in order; failures are ignored as for stderr.
  package static func writeStdout(_ text: String) {
    fflush(nil)  // every stdio stream: Swift cannot name `stdout` safely
    try? writeAll(1, Array(text.utf8))
  }
}

extension FileSystem {
  /// What is below `directory`, without following symbolic links: the regular files (paths
  /// relative to it, sorted, with their sizes) and everything else that is not a directory
  /// (symbolic links, FIFOs, sockets, devices), with what it is.
  package static func entries(under directory: String) -> (files: [(path: String, size: Int)], others: [(path: String, kind: String)]) {
    var files: [(String, Int)] = []
    var others: [(String, String)] = []
    func walk(_ relative: String) {
      for name in FileSystem.directoryEntries(join(directory, relative)).sorted() {
        let path = relative.isEmpty ? name : join(relative, name)
        var info = stat()
        guard lstat(join(directory, path), &info) == 0 else { continue }
        switch info.st_mode & S_IFMT {
        case S_IFDIR: walk(path)
        case S_IFREG: files.append((path, Int(info.st_size)))
        case S_IFLNK: others.append((path, "a symbolic link"))
        case S_IFIFO: others.append((path, "a FIFO"))
        case S_IFSOCK: others.append((path, "a socket"))
        default: others.append((path, "a device"))
        }
      }
    }
    walk("")
    return (files, others)
  }

  /// `rm -rf`, without following symbolic links out of the tree.
  package static func removeTree(_ path: String) {
    var info = stat()
    guard lstat(path, &info) == 0 else { return }
    if (info.st_mode & S_IFMT) == S_IFDIR {
      for name in FileSystem.directoryEntries(path) { removeTree(join(path, name)) }
      rmdir(path)
    } else {
      unlink(path)
    }
  }

  /// The names in a directory, without `.` and `..` (empty when it cannot be read).
  package static func directoryEntries(_ path: String) -> [String] {
    guard let dir = opendir(path) else { return [] }
    defer { closedir(dir) }
    var names: [String] = []
    while let entry = readdir(dir) {
      let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
        String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
      }
      if name != "." && name != ".." { names.append(name) }
    }
    return names
  }
}
