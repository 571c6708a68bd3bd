#if canImport(Glibc)
  internal import Glibc
#endif

/// File operations on paths, throwing `SystemError` with the path in the message. Paths here
/// are followed as given; what mpf writes inside an experiment directory goes through
/// `Directory` instead, which follows no link.
package enum FileSystem {
  package static func read(_ path: String) throws -> [UInt8] {
    try FileDescriptor.open(path, .readOnly).readAll()
  }

  package static func readString(_ path: String) throws -> String {
    String(decoding: try read(path), as: UTF8.self)
  }

  /// A regular file's bytes, refused (`SystemError`, naming the path) before reading when it
  /// is not a regular file (`/dev/zero`, a FIFO, a folder) or holds more than `limit` bytes;
  /// a file that grows past `limit` while read is refused too.
  package static func readRegularFile(_ path: String, atMost limit: Int, what: String) throws -> [UInt8] {
    let shownLimit = limit % 1_048_576 == 0 ? "\(limit / 1_048_576) MiB" : "\(limit) bytes"
    let tooLarge = SystemError(refusing: path, "is larger than \(shownLimit), the most mpf reads of a \(what)")
    guard let status = status(path) else { return try read(path) }  // read says why it cannot
    guard status.kind == .regular else {
      throw SystemError(refusing: path, "is not a regular file (it is a \(status.kind)): give a \(what) file")
    }
    guard status.size <= limit else { throw tooLarge }
    let bytes = try FileDescriptor.open(path, .readOnly).readAll(limit: limit + 1)
    guard bytes.count <= limit else { throw tooLarge }
    return bytes
  }

  /// Copies the bytes `range` of `source` to `target`, a block at a time.
  ///
  /// - Returns: how many bytes were copied (fewer when the file is shorter).
  package static func copy(_ range: Range<Int>, from source: FileDescriptor, to target: FileDescriptor) throws -> Int {
    var block = [UInt8](repeating: 0, count: 1 << 20)
    var offset = range.lowerBound
    while offset < range.upperBound {
      let n = try source.read(into: &block, at: offset, count: range.upperBound - offset)
      if n == 0 { break }
      try target.write(block[0..<n])
      offset += n
    }
    return offset - range.lowerBound
  }

  /// Writes a file atomically: a temporary file beside it, fsync, then rename.
  package static func writeAtomically(_ path: String, _ bytes: [UInt8], permissions: UInt32 = 0o644) throws {
    try writeAtomically(path, permissions: permissions) { try $0.write(bytes) }
  }

  /// Writes what `write` writes into a new file, then puts it at `path` (fsync, rename): the old
  /// file stays readable until then.
  package static func writeAtomically(_ path: String, permissions: UInt32 = 0o644, write: (FileDescriptor) throws -> Void) throws {
    let temporary = "\(path).tmp-\(getpid())"
    do {
      let file = try FileDescriptor.open(temporary, .writeOnly, options: [.create, .truncate, .noFollow], permissions: permissions)
      try write(file)
      try file.sync()
      try syscall("rename", path: path) { Glibc.rename(temporary, path) }
    } catch {
      unlink(temporary)
      throw error
    }
  }

  package static func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }

  package static func isDirectory(_ path: String) -> Bool { status(path)?.kind == .directory }

  /// What is at `path` (`stat`, following links; `lstat` with `followingLinks: false`), nil
  /// when nothing is.
  package static func status(_ path: String, followingLinks: Bool = true) -> FileStatus? {
    var info = stat()
    guard (followingLinks ? stat(path, &info) : lstat(path, &info)) == 0 else { return nil }
    return FileStatus(info)
  }

  /// `mkdir -p`.
  package static func createDirectory(_ path: String) throws {
    if isDirectory(path) { return }
    let parent = dirname(path)
    if parent != path, !parent.isEmpty { try createDirectory(parent) }
    if case .failure(let code) = valueOrErrno({ mkdir(path, 0o755) }), code != .exists {
      throw SystemError("create directory", path: path, code: code)
    }
  }

  /// Makes one directory; false when something is there already.
  package static func makeDirectory(_ path: String, permissions: UInt32 = 0o755) throws -> Bool {
    switch valueOrErrno({ mkdir(path, mode_t(permissions)) }) {
    case .success: return true
    case .failure(let code) where code == .exists: return false
    case .failure(let code): throw SystemError("create directory", path: path, code: code)
    }
  }

  /// Removes an empty directory (`rmdir`).
  package static func removeDirectory(_ path: String) throws {
    try syscall("remove directory", path: path) { rmdir(path) }
  }

  /// Renames `path` to `target` (`rename(2)`: atomic, replaces what is at `target`).
  package static func rename(_ path: String, to target: String) throws {
    try syscall("rename", path: path) { Glibc.rename(path, target) }
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

  /// Removes a file (`unlink`); a missing one is no error.
  package static func removeFile(_ path: String) { unlink(path) }

  /// Makes `ROOT/<prefix>-XXXXXX` (ROOT: `TemporaryDirectory.root`), readable only by this user.
  package static func makeTemporaryDirectory(_ pattern: String) throws -> String {
    var template = Array(pattern.utf8CString)
    let made = template.withUnsafeMutableBufferPointer { buffer in
      buffer.baseAddress.flatMap { mkdtemp($0) }.map { String(cString: $0) }
    }
    guard let made else { throw SystemError("create a temporary directory", path: pattern) }
    return made
  }
}

extension FileSystem {
  /// Writes to standard error, ignoring failures (there is nowhere else to report them).
  package static func writeStderr(_ text: String) {
    try? Descriptor.standardError.write(Array(text.utf8))
  }

  /// Writes to standard output after what C's stdio holds for it (Lua's `io.write`), so both
  /// come out in order; failures are ignored as for stderr.
  package static func writeStdout(_ text: String) {
    fflush(nil)  // every stdio stream: Swift cannot name `stdout` safely
    try? Descriptor.standardOutput.write(Array(text.utf8))
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
        guard let status = status(join(directory, path), followingLinks: false) else { continue }
        switch status.kind {
        case .directory: walk(path)
        case .regular: files.append((path, status.size))
        default: others.append((path, status.kindDescription))
        }
      }
    }
    walk("")
    return (files, others)
  }

  /// The target of the symbolic link at `path` as it is written (`readlink`), nil when `path`
  /// is not a link or cannot be read.
  package static func linkTarget(_ path: String) -> String? {
    var buffer = [UInt8](repeating: 0, count: 4096)
    let count = buffer.withUnsafeMutableBytes { raw in readlink(path, raw.baseAddress!.assumingMemoryBound(to: CChar.self), raw.count) }
    guard count >= 0, count < buffer.count else { return nil }
    return String(decoding: buffer[0..<count], as: UTF8.self)
  }

  /// `rm -rf`, without following symbolic links out of the tree.
  package static func removeTree(_ path: String) {
    removeTree(bytes: Array(path.utf8))
  }

  /// `removeTree` by the path's bytes: a name that is not UTF-8 (`x\377`) is removed too (its
  /// String, with U+FFFD in it, named no file, and the tree was left behind).
  private static func removeTree(bytes path: [UInt8]) {
    let cPath = (path + [0]).map { CChar(bitPattern: $0) }
    var info = stat()
    guard lstat(cPath, &info) == 0 else { return }
    if info.st_mode & S_IFMT == S_IFDIR {
      for name in entryBytes(cPath) where !name.isEmpty {
        removeTree(bytes: path + [UInt8(ascii: "/")] + name)
      }
      rmdir(cPath)
    } else {
      unlink(cPath)
    }
  }

  /// The names in a directory, without `.` and `..` (empty when it cannot be read); a name
  /// that is not UTF-8 comes out with U+FFFD in it (`directoryEntryBytes` has it as it is).
  package static func directoryEntries(_ path: String) -> [String] {
    directoryEntryBytes(path).map { String(decoding: $0, as: UTF8.self) }
  }

  /// The names in a directory as their bytes, without `.` and `..` (empty when it cannot be read).
  package static func directoryEntryBytes(_ path: String) -> [[UInt8]] {
    entryBytes(path.utf8CString.map { $0 })
  }

  /// `directoryEntryBytes` of a NUL-terminated path.
  private static func entryBytes(_ path: [CChar]) -> [[UInt8]] {
    guard let dir = opendir(path) else { return [] }
    defer { closedir(dir) }
    var names: [[UInt8]] = []
    while let entry = readdir(dir) {
      let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in Array(raw.prefix { $0 != 0 }) }
      if name != [0x2e] && name != [0x2e, 0x2e] { names.append(name) }
    }
    return names
  }

  /// `chmod(2)` of `path` (a symbolic link is followed: call it on what is not one).
  package static func setPermissions(_ path: String, _ mode: UInt32) throws {
    try syscall("change the permissions of", path: path) { chmod(path, mode_t(mode)) }
  }
}
