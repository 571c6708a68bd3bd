package import MPFCore
import MPFSystem
import MPFText

/// The controller's side of deploying one `mpf.software`: the folder each build copies from,
/// and what it was (a checkout's commit and dirty state, a content hash, a git commit).
///
/// A git source is fetched by the controller into a mirror of its own
/// (`~/.cache/mpf/git/<hash of the url>.git`), and each commit the builds need is exported to
/// `~/.cache/mpf/git/exports/<commit>/`: nodes need neither git nor access to the server, and
/// get the commit through the same folder copy as a `dir` source (only what changed moves).
package struct SoftwareSource: Sendable {
  /// The controller folder each build key copies from.
  var folders: [String: String]
  /// What each build key is: `{commit: ...}` for git.
  var commits: [String: String]
  /// For experiment.yaml: the source's kind, path or url, and its identity.
  var record: [String: LuaValue]

  static func prepare(
    _ software: Software, builds: [(key: String, values: [String: String])], run: @escaping @Sendable ([String]) async throws -> CommandOutput
  ) async throws -> SoftwareSource {
    if let bundled = software.bundled { return try fromBundle(software, bundled, builds: builds) }
    switch software.source {
    case .folder(let path):
      guard FileSystem.isDirectory(path) else {
        throw Diagnostic(.usage, "mpf.software '\(software.name)': dir \(path) is not a folder of this machine", at: software.location)
      }
      let record = try await folderRecord(path, run: run)
      return SoftwareSource(folders: Dictionary(uniqueKeysWithValues: builds.map { ($0.key, path) }), commits: [:], record: record)
    case .git(let url, let ref):
      let cache = FileSystem.join(controllerCache(), "git")
      try FileSystem.createDirectory(FileSystem.join(cache, "exports"))
      let mirror = GitMirror.path(of: url)
      func failed(_ what: String, _ output: CommandOutput) -> Diagnostic {
        let said = GitMirror.reason(output.stderr)
        return Diagnostic(.usage, "mpf.software '\(software.name)': \(what): \(said.isEmpty ? "exit status \(output.status)" : said)", at: software.location)
      }
      let fetched = try await run(GitMirror.fetchCommand(url, mirror: mirror))
      guard fetched.status == 0 else { throw failed("cannot fetch \(url)", fetched) }
      var folders: [String: String] = [:]
      var commits: [String: String] = [:]
      for build in builds {
        let wanted = Software.expand(ref, with: build.values)
        let resolved = try await run(["git", "-C", mirror, "rev-parse", "--verify", "--quiet", wanted + "^{commit}"])
        guard resolved.status == 0, let commit = resolved.stdout.lines().first else {
          throw failed("ref '\(wanted)' is not a branch, tag or commit of \(url)", resolved)
        }
        let export = FileSystem.join(cache, "exports/\(commit)")
        if !FileSystem.isDirectory(export) {
          let partial = export + ".part-\(ThisProcess.id)"
          FileSystem.removeTree(partial)
          try FileSystem.createDirectory(partial)
          let archive = partial + ".tar"
          defer { FileSystem.removeFile(archive) }
          let made = try await run(["git", "-C", mirror, "archive", "--format=tar", "-o", archive, commit])
          guard made.status == 0 else { throw failed("cannot export \(commit)", made) }
          let unpacked = try await run(["tar", "-C", partial, "-xf", archive])
          guard unpacked.status == 0 else { throw failed("cannot unpack \(commit)", unpacked) }
          guard (try? FileSystem.rename(partial, to: export)) != nil || FileSystem.isDirectory(export) else {
            throw Diagnostic(.io, "cannot rename \(partial) to \(export)")
          }
        }
        folders[build.key] = export
        commits[build.key] = commit
      }
      var record: [String: LuaValue] = ["kind": "git", "url": .string(url), "ref": .string(ref)]
      record["commits"] = .record(commits.mapValues { .string($0) })
      return SoftwareSource(folders: folders, commits: commits, record: record)
    }
  }

  /// What a `dir` source is now, for experiment.yaml (and `mpf export`, which compares it with
  /// what was recorded): in a git checkout its commit, whether it is dirty and a hash of its
  /// diff; else a hash of its contents.
  package static func folderRecord(
    _ path: String, stop: CommandStop? = nil, run: @escaping @Sendable ([String]) async throws -> CommandOutput
  ) async throws -> [String: LuaValue] {
    var record: [String: LuaValue] = ["kind": "dir", "path": .string(path)]
    let head = try await run(["git", "-C", path, "rev-parse", "--show-toplevel", "HEAD"])
    let lines = head.stdout.lines()
    if head.status == 0, lines.count == 2 {
      record["git_commit"] = .string(lines[1])
      let status = try await run(["git", "-C", path, "status", "--porcelain", "--untracked-files=no", "--", "."])
      record["git_dirty"] = .boolean(!status.stdout.trimmed().isEmpty)
      if !status.stdout.trimmed().isEmpty {
        let diff = try await run(["git", "-C", path, "diff", "HEAD", "--", "."])
        record["git_diff_sha256"] = .string(SHA256.hex(Array(diff.stdout.utf8)))
      }
    } else {
      record["content_sha256"] = .string(try SourceTree(path).contentHash(stop: stop))
    }
    return record
  }

  /// `mpf replay`: each build's folder from the unpacked bundle, nothing fetched. experiment.yaml
  /// says `{kind: bundle, commits: {...}}` (the commits of a git source, as the original had them).
  private static func fromBundle(
    _ software: Software, _ bundled: BundledSource, builds: [(key: String, values: [String: String])]
  ) throws -> SoftwareSource {
    var folders: [String: String] = [:]
    for build in builds {
      guard let folder = bundled.folders[build.key] ?? bundled.folder, FileSystem.isDirectory(folder) else {
        throw Diagnostic(
          .usage, "mpf.software '\(software.name)': the bundle has no source for build \(build.key)", at: software.location,
          notes: ["a replay builds what the original built: its bundle holds one source folder per build (\(bundled.folders.keys.sorted().joined(separator: ", ")))"])
      }
      folders[build.key] = folder
    }
    let commits = bundled.commits.filter { folders[$0.key] != nil }
    var record: [String: LuaValue] = ["kind": "bundle"]
    if !commits.isEmpty { record["commits"] = .record(commits.mapValues { .string($0) }) }
    return SoftwareSource(folders: folders, commits: commits, record: record)
  }

  /// The controller's cache: `$XDG_CACHE_HOME/mpf`, else `~/.cache/mpf`.
  static func controllerCache() -> String {
    if let xdg = ThisProcess.environment("XDG_CACHE_HOME"), xdg.hasPrefix("/") { return FileSystem.join(xdg, "mpf") }
    let home = ThisProcess.environment("HOME") ?? TemporaryDirectory.root
    return FileSystem.join(home, ".cache/mpf")
  }
}
