import Testing
import MPFCore
import MPFSystem

#if canImport(Glibc)
  import Glibc
#endif

/// A source folder for mpf.software with what a hostile (or unlucky) user could put in it:
/// names that tar and rm would read as options, spaces, a newline that splits a path into
/// `../victim`, and symbolic links; and the files around a build folder that no copy may touch.
enum HostileSource {
  static let files: [(String, String)] = [
    ("-C..", "dash C\n"), ("-rf", "dash rf\n"), ("--help", "help\n"), ("a b", "space\n"), ("a_b", "underscore\n"), ("new\nline", "newline\n"),
    ("d\n../victim", "inside\n"), ("sub/x", "x\n"),
  ]

  static func make(in dir: String) throws -> String {
    let folder = FileSystem.join(dir, "hostile")
    for name in ["d\n..", "sub"] { try FileSystem.createDirectory(FileSystem.join(folder, name)) }
    for (name, text) in files { try FileSystem.writeAtomically(FileSystem.join(folder, name), Array(text.utf8)) }
    try link(FileSystem.join(folder, "link"), to: "a_b")
    try link(FileSystem.join(folder, "sub/up"), to: "../-rf")
    return folder
  }

  /// The second version: only `link` changed (to a target of the same length).
  static func changeLink(_ folder: String) throws {
    FileSystem.removeFile(FileSystem.join(folder, "link"))
    try link(FileSystem.join(folder, "link"), to: "-rf")
  }

  /// The third version: `-C..` changed, the folder `d\n..` gone.
  static func changeFiles(_ folder: String) throws {
    try FileSystem.writeAtomically(FileSystem.join(folder, "-C.."), Array("changed\n".utf8))
    FileSystem.removeTree(FileSystem.join(folder, "d\n.."))
  }

  static func link(_ path: String, to target: String) throws {
    guard symlink(target, path) == 0 else { throw SystemError("symlink", path: path) }
  }

  /// The target of the link at `path`, nil if it is none.
  static func target(_ path: String) -> String? {
    var buffer = [CChar](repeating: 0, count: 4096)
    let n = readlink(path, &buffer, buffer.count)
    guard n >= 0 else { return nil }
    return String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }

  /// Files around `root/tree/default` (the build folder) that a copy must not touch.
  static func plantVictims(in root: String) throws {
    try FileSystem.createDirectory(FileSystem.join(root, "tree"))
    for path in ["victim", "tree/victim", "tree/d"] {
      try FileSystem.writeAtomically(FileSystem.join(root, path), Array("keep me\n".utf8))
    }
  }

  /// Everything under `root` outside the build folder `tree/default` and its list of copied
  /// files: each path with its contents or link target.
  static func outside(_ root: String) -> [String: String] {
    let (files, others) = FileSystem.entries(under: root)
    var found: [String: String] = [:]
    for (path, _) in files where !path.hasPrefix("tree/default/") && path != "tree/.default.sources" {
      found[path] = (try? FileSystem.readString(FileSystem.join(root, path))) ?? "?"
    }
    for (path, kind) in others where !path.hasPrefix("tree/default/") { found[path] = target(FileSystem.join(root, path)) ?? kind }
    return found
  }

  /// Checks the build folder `root/tree/default` against the source `folder`: every file with
  /// its contents, every link a link with its target.
  static func expectCopied(_ folder: String, into root: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    let build = FileSystem.join(root, "tree/default")
    let (files, others) = FileSystem.entries(under: folder)
    for (path, _) in files {
      let copied = try? FileSystem.readString(FileSystem.join(build, path))
      #expect(copied == (try? FileSystem.readString(FileSystem.join(folder, path))), "\(path.debugDescription)", sourceLocation: sourceLocation)
    }
    for (path, _) in others {
      #expect(target(FileSystem.join(build, path)) == target(FileSystem.join(folder, path)), "\(path)", sourceLocation: sourceLocation)
    }
  }
}
