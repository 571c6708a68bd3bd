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
    // The top folder and the manifest are two more entries.
    var tally = Tally(entries: 2)
    try walk(root, relative: Array(top.utf8), directory: directory, tally: &tally)
    try checkBounds(tally, what: "cannot export \(directory)")
  }

  /// What a tree holds, against `BundleLimits`.
  private struct Tally {
    var entries = 0
    var bytes = 0
    var largest = 0

    /// One entry: a file of `size` bytes, or (nil) a folder.
    mutating func add(size: Int?) {
      entries += 1
      if let size { (bytes, largest) = (bytes + size, max(largest, size)) }
    }
  }

  /// A `dir` source about to be copied, held to the same bounds before a byte is copied (one of
  /// 1.1 GB was copied for minutes into a bundle replay then refused). Its `.git` is left out,
  /// as the copy leaves it.
  package static func checkSourceBounds(_ path: String, software name: String) throws {
    var tally = Tally()
    for file in FileSystem.entries(under: path).files where !file.path.hasPrefix(".git/") {
      tally.add(size: file.size)
    }
    try checkBounds(tally, what: "cannot export mpf.software '\(name)' (\(path))")
  }

  /// The files' sizes and the number of entries within `BundleLimits`, else a refusal saying
  /// which bound, as replay would.
  private static func checkBounds(_ tally: Tally, what: String) throws {
    let limits = BundleLimits()
    let note = "mpf replay refuses a bundle over its bounds (docs/versions.md, \"Replay\"): leave large files out of the source, or fetch them in a build step"
    if tally.largest > limits.fileBytes {
      throw Diagnostic(.usage, "\(what): it holds a file of \(tally.largest) bytes, over the \(limits.fileBytes) a bundle may hold in one file", notes: [note])
    }
    if tally.bytes > limits.totalBytes {
      throw Diagnostic(.usage, "\(what): it holds \(tally.bytes) bytes, over the \(limits.totalBytes) a bundle may hold in all", notes: [note])
    }
    if tally.entries > limits.entries {
      throw Diagnostic(.usage, "\(what): it holds \(tally.entries) files and folders, over the \(limits.entries) a bundle may hold", notes: [note])
    }
  }

  /// Every path below `folder` held to TarCheck's name rule and given a bundle's modes, and
  /// counted in `tally` (one walk for both).
  private static func walk(_ folder: String, relative: [UInt8], directory: String, tally: inout Tally) throws {
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
      tally.add(size: status.kind == .regular ? status.size : nil)
      if status.kind == .directory { try walk(full, relative: path, directory: directory, tally: &tally) }
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
