internal import MPFCore
internal import MPFSystem
import MPFText

/// What `mpf export` is about to pack, held to the rules `mpf replay` holds a bundle to, so
/// that export never writes a bundle replay refuses: each path goes through `TarCheck.name`
/// (UTF-8, no control character, within the length), and the staged copy's modes are made
/// what replay accepts: without the set-user-id, set-group-id and sticky bits, with the owner's
/// rwx on a folder and r on a file (`TarCheck.ownerBits`).
package enum BundleContents {
  /// - Parameter root: the staged top folder, named `top` in the bundle.
  /// - Parameter directory: the experiment being exported, for the message.
  /// - Throws: `Diagnostic` naming the first path replay would refuse, and why.
  package static func prepare(_ root: String, top: String, exporting directory: String) throws {
    try setMode(root)
    try walk(root, relative: Array(top.utf8), directory: directory)
  }

  private static func walk(_ folder: String, relative: [UInt8], directory: String) throws {
    for name in FileSystem.directoryEntryBytes(folder).sorted(by: { $0.lexicographicallyPrecedes($1) }) {
      let path = relative + [UInt8(ascii: "/")] + name
      do {
        _ = try TarCheck.name(path)
      } catch let problem as TarProblem {
        throw Diagnostic(
          .usage, "cannot export \(directory): \(problem.entry ?? ""): \(problem.reason)",
          notes: ["mpf replay refuses such a name in a bundle: rename it in the source (or remove it), then run the experiment again"])
      }
      let full = FileSystem.join(folder, String(decoding: name, as: UTF8.self))
      guard let status = FileSystem.status(full, followingLinks: false) else { continue }
      try setMode(full, status)
      if status.kind == .directory { try walk(full, relative: path, directory: directory) }
    }
  }

  /// `path`'s mode as a bundle holds it (a link is left alone).
  private static func setMode(_ path: String, _ known: FileStatus? = nil) throws {
    guard let status = known ?? FileSystem.status(path, followingLinks: false), status.kind != .symbolicLink else { return }
    let mode = Int(status.mode) & 0o7777
    let wanted = mode & ~TarCheck.specialModeBits | TarCheck.ownerBits(directory: status.kind == .directory)
    if wanted != mode { try FileSystem.setPermissions(path, UInt32(wanted)) }
  }
}
