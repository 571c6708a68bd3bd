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
    let found = FileSystem.entries(under: root)
    // The manifest is one more entry and file.
    try checkBounds(found.files.map(\.size), entries: found.files.count + found.others.count + folders(under: root) + 2, what: "cannot export \(directory)")
  }

  /// A `dir` source about to be copied, held to the same bounds before a byte is copied (one of
  /// 1.1 GB was copied for minutes into a bundle replay then refused). Its `.git` is left out,
  /// as the copy leaves it.
  package static func checkSourceBounds(_ path: String, software name: String) throws {
    let found = FileSystem.entries(under: path)
    let sizes = found.files.filter { !$0.path.hasPrefix(".git/") }.map(\.size)
    try checkBounds(sizes, entries: sizes.count, what: "cannot export mpf.software '\(name)' (\(path))")
  }

  /// The files' sizes and the number of entries within `BundleLimits`, else a refusal saying
  /// which bound, as replay would.
  private static func checkBounds(_ sizes: [Int], entries: Int, what: String) throws {
    let limits = BundleLimits()
    let note = "mpf replay refuses a bundle over its bounds (docs/versions.md, \"Replay\"): leave large files out of the source, or fetch them in a build step"
    if let largest = sizes.max(), largest > limits.fileBytes {
      throw Diagnostic(.usage, "\(what): it holds a file of \(largest) bytes, over the \(limits.fileBytes) a bundle may hold in one file", notes: [note])
    }
    let total = sizes.reduce(0, +)
    if total > limits.totalBytes {
      throw Diagnostic(.usage, "\(what): it holds \(total) bytes, over the \(limits.totalBytes) a bundle may hold in all", notes: [note])
    }
    if entries > limits.entries {
      throw Diagnostic(.usage, "\(what): it holds \(entries) files and folders, over the \(limits.entries) a bundle may hold", notes: [note])
    }
  }

  /// The folders below `root`, for the count of entries.
  private static func folders(under root: String) -> Int {
    FileSystem.directoryEntries(root).reduce(0) { count, name in
      let path = FileSystem.join(root, name)
      guard FileSystem.status(path, followingLinks: false)?.kind == .directory else { return count }
      return count + 1 + folders(under: path)
    }
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
