/// A folder mpf writes in (an experiment directory, its `graphs/`), opened once: every file and
/// folder below it is reached one component at a time (`openat` with `O_NOFOLLOW`, folders
/// with `O_DIRECTORY`), so a symbolic link planted anywhere below it is refused, with a
/// message naming it, instead of written through. The folder itself is opened as the user
/// named it (links in that path are the user's own).
package final class Directory: Sendable {
  private let handle: FileDescriptor
  /// The folder's path, for messages.
  package let path: String

  private init(handle: FileDescriptor, path: String) {
    self.handle = handle
    self.path = path
  }

  /// Opens the folder at `path`, following links in it; with `creating`, makes it (and its
  /// parents) first when missing.
  ///
  /// - Throws: `SystemError` naming `path`.
  package static func open(_ path: String, creating: Bool = false) throws -> Directory {
    if creating { try FileSystem.createDirectory(path) }
    return Directory(handle: try FileDescriptor.open(path, .readOnly, options: [.directory]), path: path)
  }

  /// Opens the file `relative` below this folder without following a link at any component:
  /// every write mpf makes in an experiment directory comes here. Folders on the way are made
  /// when `options` has `.create`. The file must be a regular file: a FIFO or a device there
  /// is refused (it is opened without blocking, so a FIFO cannot hang mpf).
  ///
  /// - Parameter relative: a path below this folder: no `..`, not absolute.
  /// - Throws: `SystemError` naming the path: "… is a symbolic link: mpf does not write through
  ///   links; remove it", "… is a FIFO, not a regular file", or the failed call.
  package func openFile(
    _ relative: String, _ access: FileDescriptor.Access, options: FileDescriptor.Options = [], permissions: UInt32 = 0o644
  ) throws -> FileDescriptor {
    let (parent, name) = try parentAndName(of: relative, creating: options.contains(.create))
    let path = FileSystem.join(self.path, relative)
    let file: FileDescriptor
    do {
      file = try parent.handle.open(name, access, options: options.union([.noFollow, .nonBlocking]), permissions: permissions, path: path)
    } catch let error as SystemError {
      throw parent.refusal(name, path: path, writing: access != .readOnly) ?? error
    }
    let status = try file.status()
    guard status.kind == .regular else { throw SystemError(refusing: path, "is \(status.kindDescription), not a regular file: remove it") }
    return file
  }

  /// The folder `relative` below this one, made (with the folders on the way) when missing
  /// and `creating`; no link followed.
  package func subdirectory(_ relative: String, creating: Bool = true) throws -> Directory {
    var current = self
    for name in try components(of: relative) { current = try current.child(name, creating: creating) }
    return current
  }

  /// Writes `relative` whole and atomically: a new file beside it, fsync, then `renameat` over
  /// it (a link there is replaced, never followed). Folders on the way are made.
  package func write(_ relative: String, _ bytes: [UInt8], permissions: UInt32 = 0o644) throws {
    try write(relative, permissions: permissions) { try $0.write(bytes) }
  }

  /// Writes the text `body` passes to its argument, piece by piece, as `write(_:permissions:_:)`
  /// does: the pieces go to the file in blocks of 256 KiB (a larger piece straight from its
  /// string), so a large file (a graph's 100 000 points, the report) is never whole in memory.
  package func write(_ relative: String, permissions: UInt32 = 0o644, text body: ((String) throws -> Void) throws -> Void) throws {
    try write(relative, permissions: permissions) { file in
      var buffer: [UInt8] = []
      buffer.reserveCapacity(1 << 18)
      try body { piece in
        if buffer.count + piece.utf8.count > 1 << 18 {
          try file.write(buffer)
          buffer.removeAll(keepingCapacity: true)
        }
        if piece.utf8.count > 1 << 18 { try file.write(piece.utf8) } else { buffer.append(contentsOf: piece.utf8) }
      }
      try file.write(buffer)
    }
  }

  /// Writes what `body` writes into a new file, then puts it at `relative` (fsync, rename):
  /// the old file stays readable until then.
  package func write(_ relative: String, permissions: UInt32 = 0o644, _ body: (FileDescriptor) throws -> Void) throws {
    let (parent, name) = try parentAndName(of: relative, creating: true)
    let temporary = "\(name).tmp-\(ThisProcess.id)"
    parent.handle.removeFile(temporary)  // one left by a killed mpf of the same pid
    do {
      let file = try parent.openFile(temporary, .writeOnly, options: [.create, .exclusive], permissions: permissions)
      try body(file)
      try file.sync()
      try parent.handle.rename(temporary, to: name, path: FileSystem.join(path, relative))
    } catch {
      parent.handle.removeFile(temporary)
      throw error
    }
  }

  /// What `relative` is, without following links; nil when nothing is there (or a folder on
  /// the way cannot be opened without following one).
  package func status(of relative: String) -> FileStatus? {
    guard let (parent, name) = try? parentAndName(of: relative, creating: false) else { return nil }
    return parent.handle.status(of: name)
  }

  /// The components of `relative`, refused when it could lead outside this folder.
  private func components(of relative: String) throws -> [String] {
    let parts = relative.split(separator: "/", omittingEmptySubsequences: true).map(String.init).filter { $0 != "." }
    guard !relative.hasPrefix("/"), !parts.contains("..") else {
      throw SystemError(refusing: relative, "leads outside \(path): mpf only writes below it")
    }
    return parts
  }

  /// The folder holding `relative`'s last component (reached without links), and that name.
  private func parentAndName(of relative: String, creating: Bool) throws -> (Directory, String) {
    var parts = try components(of: relative)
    guard let name = parts.popLast() else { throw SystemError(refusing: FileSystem.join(path, relative), "is not a file name") }
    var parent = self
    for part in parts { parent = try parent.child(part, creating: creating) }
    return (parent, name)
  }

  /// The folder `name` in this one, made first when missing and `creating`.
  private func child(_ name: String, creating: Bool) throws -> Directory {
    let path = FileSystem.join(self.path, name)
    if creating { _ = try handle.makeDirectory(name, path: path) }
    do {
      return Directory(handle: try handle.open(name, .readOnly, options: [.directory, .noFollow], path: path), path: path)
    } catch let error as SystemError {
      throw refusal(name, path: path, writing: creating) ?? error
    }
  }

  /// Why opening `name` failed when it is something mpf refuses (a link, a FIFO where a file
  /// should be, a file where a folder should be); nil for other failures.
  private func refusal(_ name: String, path: String, writing: Bool) -> SystemError? {
    guard let status = handle.status(of: name) else { return nil }
    switch status.kind {
    case .symbolicLink:
      let what = writing ? "mpf does not write through links" : "mpf does not follow links in an experiment directory"
      return SystemError(refusing: path, "is a symbolic link: \(what); remove it", code: .tooManyLinks)
    case .fifo, .socket, .device:
      return SystemError(refusing: path, "is \(status.kindDescription), not a regular file: remove it")
    case .regular, .directory:
      return nil
    }
  }
}
