internal import MPFCore
import MPFSystem
import MPFText

extension Deployer {
  /// Copies `from` (a controller folder) to `folder` on `machine`: only files whose contents
  /// differ move, and unchanged files keep their times (a build tool then redoes only what
  /// changed); links move as links. What the previous copy brought that the source no longer
  /// has is removed first; what the build made stays (the list of copied paths is kept beside
  /// the folder, in `.BUILD.sources`). Returns what moved, for the progress line.
  ///
  /// Every name reaches a command as data: quoted by `ShellQuote` for the node's shell, in a
  /// NUL-separated list for tar, `./`-prefixed where a tool could read it as an option.
  func copy(
    _ from: String, to folder: String, on machine: Machine, rsync: Bool,
    run: (String, String) async throws -> CommandOutput,
    fail: (String, CommandOutput?) -> Diagnostic
  ) async throws -> String {
    let source = SourceTree(from)
    let quotedFolder = ShellQuote.quote(folder)
    let manifest = ShellQuote.quote(FileSystem.dirname(folder) + "/." + FileSystem.basename(folder) + ".sources")
    let stamp = source.stamp
    let previous = try await run("test -d \(quotedFolder) && cat \(manifest) 2>/dev/null; true", "read the list of files copied before")
    let before = CopiedFiles.read(previous.stdout)
    // The source's files, sizes, times and links as the last copy found them: nothing to look at.
    if before.stamp == stamp { return "nothing copied" }
    // What the source lost goes first, while the folder still has the shape the list describes.
    let gone = Set(before.paths).subtracting(source.paths).sorted()
    if !gone.isEmpty {
      let removed = try await run("cd \(quotedFolder) && \(CopiedFiles.removal(gone))", "remove what the source no longer has")
      guard removed.status == 0 else { throw fail("cannot remove what the source lost from \(folder)", removed) }
    }
    let moved: String
    if rsync, let destination = try connector.launcher(for: machine).rsyncDestination(folder, on: machine) {
      moved = try await copyWithRsync(source, to: destination, fail: fail)
    } else {
      moved = try await copyWithTar(source, to: folder, on: machine, run: run, fail: fail)
    }
    let scratch = try TemporaryDirectory.make("mpf-deploy")
    defer { FileSystem.removeTree(scratch) }
    let list = FileSystem.join(scratch, "sources")
    try FileSystem.writeAtomically(list, Array(CopiedFiles.text(stamp: stamp, paths: source.paths).utf8))
    let listed = try await connector.execute("cat > \(manifest)", on: machine, input: list)
    guard listed.status == 0 else { throw fail("cannot update \(manifest)", listed) }
    return gone.isEmpty ? moved : moved + ", \(gone.count) removed"
  }

  /// rsync by contents (`-c`; no `-t`: a changed file gets a new time, an unchanged one keeps
  /// its own), links as links (`-l`). Its itemized changes (`%i`, no names) count what moved.
  private func copyWithRsync(
    _ source: SourceTree, to destination: (options: [String], target: String), fail: (String, CommandOutput?) -> Diagnostic
  ) async throws -> String {
    let arguments = ["rsync", "-rlpc", "--out-format=%i"] + destination.options + [source.folder + "/", destination.target]
    let output = try await connector.executeHere(arguments)
    guard output.status == 0 else { throw fail("cannot copy \(source.folder) with rsync", output) }
    let files = output.stdout.lines().filter { line in
      let item = Array(line.utf8.prefix(2))
      // Sent (`<`), received (`>`, a local copy) or made (`c`, a link), a file (`f`) or a link (`L`).
      return item.count == 2 && "<>c".utf8.contains(item[0]) && "fL".utf8.contains(item[1])
    }.count
    return files == 0 ? "nothing copied" : "\(files) file\(files == 1 ? "" : "s") copied"
  }

  /// Without rsync: the node's files (by SHA-256) and links (by target) are compared with
  /// ours, and a tar of those that differ goes through the same connection (extracted with new
  /// times).
  private func copyWithTar(
    _ source: SourceTree, to folder: String, on machine: Machine,
    run: (String, String) async throws -> CommandOutput,
    fail: (String, CommandOutput?) -> Diagnostic
  ) async throws -> String {
    let quoted = ShellQuote.quote(folder)
    let listing = try await run(
      "mkdir -p \(quoted) && cd \(quoted) && { find . -type l -printf 'l %p\\0%l\\0'; find . -type f -print0 | xargs -0r sha256sum -z; } 2>/dev/null; true",
      "list \(folder)")
    let theirs = Self.nodeEntries(listing.stdout)
    let changed = source.entries.filter { theirs[$0.path] != source.key(of: $0) }
    guard !changed.isEmpty else { return "nothing copied" }
    let scratch = try TemporaryDirectory.make("mpf-deploy")
    defer { FileSystem.removeTree(scratch) }
    let names = FileSystem.join(scratch, "files")
    try FileSystem.writeAtomically(names, Array(changed.map { "./" + $0.path + "\0" }.joined().utf8))
    let archive = FileSystem.join(scratch, "files.tar")
    let packed = try await connector.executeHere(["tar", "--null", "--verbatim-files-from", "-C", source.folder, "-cf", archive, "-T", names])
    guard packed.status == 0 else { throw fail("cannot pack \(source.folder) with tar", packed) }
    let unpacked = try await connector.execute("tar -C \(quoted) -xmf -", on: machine, input: archive)
    guard unpacked.status == 0 else { throw fail("cannot unpack the files into \(folder)", unpacked) }
    return "\(changed.count) file\(changed.count == 1 ? "" : "s") copied (tar)"
  }

  /// The node's listing: `l ./PATH\0TARGET\0` for each link, `HASH  ./PATH\0` for each file
  /// (`sha256sum -z`, which escapes nothing) → path → its key (`SourceTree.key(of:)`).
  package static func nodeEntries(_ text: String) -> [String: String] {
    let fields = text.unicodeScalars.split(separator: "\0", omittingEmptySubsequences: false).map(Array.init)
    var entries: [String: String] = [:]
    var index = 0
    func string(_ scalars: some Sequence<Unicode.Scalar>) -> String { String(String.UnicodeScalarView(scalars)) }
    while index < fields.count {
      let field = fields[index]
      index += 1
      if field.starts(with: "l ./".unicodeScalars), index < fields.count {
        entries[string(field.dropFirst(4))] = "l" + string(fields[index])
        index += 1
      } else if field.count > 68, field[64..<68].elementsEqual("  ./".unicodeScalars) {
        entries[string(field.dropFirst(68))] = "f" + string(field.prefix(64))
      }
    }
    return entries
  }
}
