internal import MPFCore
import MPFSystem
import MPFText

/// A source folder as the deployer copies it: its regular files and its symbolic links, by
/// path relative to the folder. A link is carried as a link (never followed), and what tells a
/// change (the stamp, an entry's key, the content hash) reads its target as a file's contents.
/// FIFOs, sockets and devices are left out.
struct SourceTree: Sendable {
  struct Entry: Sendable {
    var path: String
    /// The link's target; nil for a regular file.
    var link: String?
  }

  var folder: String
  /// In path order.
  var entries: [Entry]

  init(_ folder: String) {
    let (files, others) = FileSystem.entries(under: folder)
    var entries = files.map { Entry(path: $0.path, link: nil) }
    for other in others {
      if let target = FileSystem.linkTarget(FileSystem.join(folder, other.path)) { entries.append(Entry(path: other.path, link: target)) }
    }
    self.folder = folder
    self.entries = entries.sorted { $0.path < $1.path }
  }

  var paths: [String] { entries.map(\.path) }

  /// What the folder looks like without reading its files: each file's path, size,
  /// modification time (ns) and mode, each link's path and target. Equal stamps: the last copy
  /// is still right, and neither end reads a byte. (A different stamp is not a different
  /// content: rsync -c or the keys decide.)
  var stamp: String {
    var listing: [UInt8] = []
    for entry in entries {
      if let link = entry.link {
        listing += Array("\(entry.path)\0->\0\(link)\n".utf8)
        continue
      }
      guard let info = FileSystem.status(FileSystem.join(folder, entry.path), followingLinks: false) else { continue }
      listing += Array("\(entry.path)\0\(info.size)\0\(info.modified).\(info.modifiedNanoseconds)\0\(info.mode)\n".utf8)
    }
    return SHA256.hex(listing)
  }

  /// What `entry` holds, as a node's listing gives it (`SourceCopy.listing`): `f` and the
  /// SHA-256 of a file's contents, `l` and a link's target.
  func key(of entry: Entry) -> String {
    (try? key(of: entry, stop: nil)) ?? "f" + SHA256.hex([])
  }

  /// `key(of:)`, its file read 1 MiB at a time (a 600 MB file was read whole), `stop` asked
  /// between pieces. A file that cannot be read keys as empty.
  ///
  /// - Throws: `CommandStopped` once `stop` is stopped.
  func key(of entry: Entry, stop: CommandStop?) throws -> String {
    if let link = entry.link { return "l" + link }
    do {
      let file = try FileDescriptor.open(FileSystem.join(folder, entry.path), .readOnly, options: [.noFollow, .nonBlocking])
      return "f" + (try SHA256.hex(of: file) { if stop?.isStopped == true { throw CommandStopped() } }).hex
    } catch let stopped as CommandStopped {
      throw stopped
    } catch {
      return "f" + SHA256.hex([])
    }
  }

  /// A hash of the folder (paths, file contents, link targets, in path order), for a source
  /// that is not a git checkout.
  ///
  /// - Throws: `CommandStopped` once `stop` is stopped (`mpf export` at Ctrl-C).
  func contentHash(stop: CommandStop? = nil) throws -> String {
    var listing = ""
    for entry in entries {
      let key = try key(of: entry, stop: stop)
      listing += entry.path + "\0" + (entry.link == nil ? String(key.dropFirst()) : "->" + (entry.link ?? "")) + "\n"
    }
    return SHA256.hex(Array(listing.utf8))
  }
}
