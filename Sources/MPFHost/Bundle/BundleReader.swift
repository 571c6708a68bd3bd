package import MPFCore
internal import MPFCluster
internal import MPFSystem
import MPFText

/// A bundle checked and unpacked into a private folder (`mpf replay`); `remove()` when done.
package struct UnpackedBundle: Sendable {
  /// The bundle's path as the user gave it.
  package var bundle: String
  /// The private folder holding the bundle's copy and what was unpacked.
  package var scratch: String
  /// The bundle's top folder, unpacked.
  package var root: String
  /// The SHA-256 of the bundle's bytes.
  package var sha256: String
  package var manifest: BundleManifest

  /// The experiment's stored files (experiment.yaml, the script's copy, its modules).
  package var experimentDirectory: String { root + "/" + BundleManifest.experimentFolder }

  package func remove() { FileSystem.removeTree(scratch) }

  /// `error` as the user can place it: a path in the private unpacked copy (a damaged
  /// experiment.yaml, the script's copy raising) is named as the bundle's entry,
  /// `study.tar.gz:mpf-bundle-ID/experiment/experiment.yaml`, in its place, message, notes and
  /// traceback alike. Other errors are as they are.
  package func inBundleTerms(_ text: String) -> String {
    text.replacingAll(root, with: bundle + ":" + FileSystem.basename(root))
  }

  /// The same for an error: its place, message, notes and traceback.
  package func inBundleTerms(_ error: any Error) -> any Error {
    guard var diagnostic = error as? Diagnostic else { return error }
    let name = inBundleTerms as (String) -> String
    diagnostic.message = name(diagnostic.message)
    diagnostic.notes = diagnostic.notes.map(name)
    diagnostic.traceback = diagnostic.traceback.map(name)
    if let location = diagnostic.location { diagnostic.location = SourceLocation(file: name(location.file), line: location.line) }
    return diagnostic
  }

  /// The refusal of this bundle for `reason` found after unpacking (`entry`: what it is about).
  package func refusal(_ entry: String?, _ reason: String) -> Diagnostic {
    BundleReader.refusal(bundle, TarProblem(entry, reason))
  }
}

/// Checks a bundle before anything in it is used, then unpacks it: a private copy is made
/// (so that what is checked is what is unpacked), its tar headers are read through `gzip -dc`
/// and every entry held to `TarCheck`'s rules, then `tar` unpacks the copy (owner and
/// permissions not taken from it), and the unpacked tree, walked without following links, must
/// match the manifest file by file (size, SHA-256) with nothing else in it.
package enum BundleReader {
  /// Ctrl-C (or SIGTERM) while it runs stops it at once, removing the private folder.
  ///
  /// - Throws: `Diagnostic` naming the bundle, the entry and what is wrong with it;
  ///   `ExperimentStopped` when a signal stopped the check.
  package static func unpack(_ path: String, limits: BundleLimits = BundleLimits()) throws -> UnpackedBundle {
    try BundleCheckStop.during { stop in try unpack(path, limits: limits, stop: stop) }
  }

  private static func unpack(_ path: String, limits: BundleLimits, stop: BundleCheckStop) throws -> UnpackedBundle {
    let scratch = try TemporaryDirectory.make("mpf-replay")
    do {
      let copy = FileSystem.join(scratch, "bundle.tar.gz")
      let sha = try copyIn(path, to: copy, limits: limits, stop: stop)
      let entries = try listEntries(copy, limits: limits, stop: stop)
      let unpacked = FileSystem.join(scratch, "unpacked")
      try FileSystem.createDirectory(unpacked)
      try extract(copy, into: unpacked, stop: stop)
      let top = String(entries.first?.path.split(separator: "/").first ?? "")
      let root = FileSystem.join(unpacked, top)
      let manifest = try verify(root, in: unpacked, top: top, stop: stop)
      try stop.check()
      return UnpackedBundle(bundle: path, scratch: scratch, root: root, sha256: sha, manifest: manifest)
    } catch {
      FileSystem.removeTree(scratch)
      if let problem = error as? TarProblem { throw refusal(path, problem) }
      throw error
    }
  }

  /// GNU tar unpacks the checked copy: owner and permissions not taken from it, nothing already
  /// unpacked replaced, no ACLs, SELinux contexts or extended attributes.
  private static func extract(_ copy: String, into unpacked: String, stop: BundleCheckStop) throws {
    let errors = FileSystem.join(FileSystem.dirname(copy), "tar.err")
    let errorFile = try FileDescriptor.open(errors, .writeOnly, options: [.create, .truncate], permissions: 0o600)
    let tar = try Subprocess.spawn(
      ["tar", "--no-same-owner", "--no-same-permissions", "--keep-old-files", "--no-acls", "--no-selinux", "--no-xattrs", "-xzf", copy, "-C", unpacked],
      stdout: .devNull, stderr: .file(errorFile))
    guard try stop.wait(for: tar.pid) == 0 else {
      let said = ((try? FileSystem.readString(errors)) ?? "").lines().prefix(3).joined(separator: " ")
      throw TarProblem(nil, "tar cannot unpack it: \(said)")
    }
  }

  /// The one message of a refused bundle.
  static func refusal(_ bundle: String, _ problem: TarProblem) -> Diagnostic {
    Diagnostic(
      .io, "refused: \(problem.entry.map { "\($0): " } ?? "")\(problem.reason)", at: SourceLocation(file: bundle, line: 0),
      notes: ["nothing in the bundle was run; a bundle is what mpf export writes (docs/versions.md, \"Export and replay\")"])
  }

  /// Copies the bundle into `copy` (bounded), returning the SHA-256 of its bytes.
  private static func copyIn(_ path: String, to copy: String, limits: BundleLimits, stop: BundleCheckStop) throws -> String {
    let source = try FileDescriptor.open(path, .readOnly, options: [.nonBlocking])
    guard try source.status().kind == .regular else { throw TarProblem(nil, "it is \(try source.status().kindDescription), not a file") }
    let target = try FileDescriptor.open(copy, .writeOnly, options: [.create, .exclusive], permissions: 0o600)
    let bound = limits.totalBytes + (limits.entries + 64) * 1024
    var hash = SHA256()
    var buffer = [UInt8](repeating: 0, count: 1 << 20)
    var copied = 0
    while true {
      try stop.check()
      let count = try source.read(into: &buffer)
      if count == 0 { break }
      copied += count
      guard copied <= bound else { throw TarProblem(nil, "it is over \(bound) bytes, more than a bundle within the bounds can be") }
      if copied == count, !(count >= 2 && buffer[0] == 0x1f && buffer[1] == 0x8b) {
        throw TarProblem(nil, "it is not a gzip file (mpf export writes a .tar.gz)")
      }
      hash.update(buffer[0..<count])
      try target.write(buffer[0..<count])
    }
    guard copied > 0 else { throw TarProblem(nil, "it is empty") }
    return hash.hexDigest()
  }

  /// Reads the tar headers of the gzip file `copy` through `gzip -dc`, checking each entry.
  private static func listEntries(_ copy: String, limits: BundleLimits, stop: BundleCheckStop) throws -> [TarEntry] {
    let errors = FileSystem.join(FileSystem.dirname(copy), "gzip.err")
    let errorFile = try FileDescriptor.open(errors, .writeOnly, options: [.create, .truncate], permissions: 0o600)
    let input = try FileDescriptor.open(copy, .readOnly)
    // From its standard input, so that what gzip says names no private path.
    let gzip = try Subprocess.spawn(["gzip", "-dc"], stdin: .file(input), stdout: .pipe, stderr: .file(errorFile))
    stop.watch(gzip.pid)
    guard let output = gzip.stdout else { throw TarProblem(nil, "cannot read gzip's output") }
    defer { output.close() }
    var check = TarCheck(limits: limits)
    var buffer = [UInt8](repeating: 0, count: 1 << 16)
    do {
      while true {
        try stop.check()
        let count = try output.read(into: &buffer)
        if count == 0 { break }
        try check.feed(buffer[0..<count])
      }
    } catch {
      Signal.send(.kill, to: gzip.pid)
      _ = try? stop.wait(for: gzip.pid)
      throw error
    }
    let status = try stop.wait(for: gzip.pid)
    guard status == 0 else { throw gzipProblem(status: status, said: (try? FileSystem.readString(errors)) ?? "") }
    try check.finish()
    guard !check.entries.isEmpty else { throw TarProblem(nil, "the archive is empty") }
    return check.entries
  }

  /// What gzip's failure means, in plain words (its lines without their `gzip: stdin: `).
  static func gzipProblem(status: Int32, said: String) -> TarProblem {
    let lines = said.lines().map { $0.hasPrefix("gzip: stdin: ") ? String($0.dropFirst(13)) : $0 }.filter { !$0.isEmpty }
    if lines.contains(where: { $0.contains("trailing garbage") }) {
      return TarProblem(nil, "there are bytes after the end of its compressed data (mpf export writes none)")
    }
    let detail = lines.prefix(2).joined(separator: "; ")
    return TarProblem(nil, "it is not a whole gzip file (gzip: \(detail.isEmpty ? "exit status \(status)" : TerminalText.escaped(detail)))")
  }

  /// Walks the unpacked tree without following links: one top folder, only files and folders,
  /// and exactly the manifest's files with its sizes and hashes.
  private static func verify(_ root: String, in unpacked: String, top: String, stop: BundleCheckStop) throws -> BundleManifest {
    guard FileSystem.directoryEntries(unpacked) == [top], FileSystem.status(root, followingLinks: false)?.kind == .directory else {
      throw TarProblem(nil, "it does not unpack into one top folder")
    }
    let (files, others) = FileSystem.entries(under: root)
    if let other = others.first { throw TarProblem("\(top)/\(other.path)", "it unpacked as \(other.kind): a bundle holds only files and folders") }
    let folder = try Directory.open(root)
    let text: [UInt8]
    do {
      text = try folder.openFile("manifest", .readOnly).readAll(limit: 16 << 20)
    } catch {
      throw TarProblem("\(top)/manifest", "the bundle has no manifest file")
    }
    guard text.count < 16 << 20 else { throw TarProblem("\(top)/manifest", "the manifest is over 16 MiB") }
    let manifest = try BundleManifest.parse(String(decoding: text, as: UTF8.self))
    var listed = Dictionary(manifest.files.map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
    for file in files where file.path != "manifest" {
      guard let expected = listed.removeValue(forKey: file.path) else { throw TarProblem("\(top)/\(file.path)", "it is not in the manifest") }
      let (size, sha) = try digest(file.path, in: folder, stop: stop)
      guard size == expected.size else {
        throw TarProblem("\(top)/\(file.path)", "it has \(size) bytes, the manifest says \(expected.size)")
      }
      guard sha == expected.sha256 else { throw TarProblem("\(top)/\(file.path)", "its SHA-256 is not the manifest's (\(sha), manifest: \(expected.sha256))") }
    }
    if let missing = listed.keys.sorted().first { throw TarProblem("\(top)/\(missing)", "the manifest lists it, but the bundle does not have it") }
    return manifest
  }

  /// The size and SHA-256 of `relative` below `folder`, opened without following a link.
  static func digest(_ relative: String, in folder: Directory, stop: BundleCheckStop? = nil) throws -> (Int, String) {
    let digest = try SHA256.hex(of: try folder.openFile(relative, .readOnly)) { try stop?.check() }
    return (digest.bytes, digest.hex)
  }
}
