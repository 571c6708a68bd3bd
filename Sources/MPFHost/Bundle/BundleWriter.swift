internal import MPFCore
internal import MPFYAML
internal import MPFResults
internal import MPFCluster
import MPFSystem
import MPFText

/// `mpf export DIR -o FILE`: everything needed to run an experiment again elsewhere, as a
/// gzip'd GNU tar with one top folder (docs/versions.md, "Export and replay"): the manifest,
/// the experiment's stored files, the roles of its cluster (nothing else of the cluster file),
/// and each software's source as it was (a git source's commits, a folder's files).
package enum BundleWriter {
  /// - Parameter force: export a `dir` source even when it has changed since the experiment ran.
  /// - Parameter warn: told what `force` let through.
  /// - Throws: `Diagnostic` naming what cannot be exported and why.
  package static func export(
    _ directory: String, to output: String, force: Bool, warn: (String) -> Void
  ) throws -> BundleManifest {
    // Ctrl-C or SIGTERM ends it at once: the staging folder and the partial bundle removed.
    try BundleCheckStop.during(abandoned: "the export was abandoned: no bundle was written") { stop in
      try export(directory, to: output, force: force, warn: warn, stop: stop)
    }
  }

  private static func export(
    _ directory: String, to output: String, force: Bool, warn: (String) -> Void, stop: BundleCheckStop
  ) throws -> BundleManifest {
    try checkOutput(output)
    let stored = try StoredExperiment.load(directory, headerOnly: true)
    guard !stored.isRunning else {
      throw Diagnostic(.usage, "\(directory) is still running: export it once it has ended")
    }
    let scratch = try TemporaryDirectory.make("mpf-export")
    defer { FileSystem.removeTree(scratch) }
    let top = "mpf-bundle-\(stored.id)"
    let root = FileSystem.join(scratch, top)
    try FileSystem.createDirectory(root)
    let staging = try Directory.open(root)
    var manifest = BundleManifest(id: stored.id, label: stored.label)
    try copyExperimentFiles(stored, from: directory, into: staging, warn: warn)
    manifest.roles = BundleManifest.roles(recordedIn: stored.record)
    for item in stored.record["software"]?.items ?? [] {
      manifest.software.append(try exportSoftware(item, into: root, force: force, warn: warn, stop: stop))
    }
    try pack(&manifest, root: root, top: top, scratch: scratch, into: output, what: directory, stop: stop)
    return manifest
  }

  /// The bundle is a new file: nothing already at `output` (a file, a folder, a device, the
  /// experiment's own experiment.yaml) is ever written over, and a link there is not followed.
  private static func checkOutput(_ output: String) throws {
    guard !output.isEmpty, !output.hasSuffix("/"), ![".", ".."].contains(FileSystem.basename(output)) else {
      throw Diagnostic(.usage, "-o '\(output)' is not a file name: give the bundle's path, such as study.tar.gz")
    }
    let folder: Directory
    do {
      folder = try Directory.open(FileSystem.dirname(output))
    } catch {
      throw Diagnostic(.usage, "cannot write \(output): \(error)")
    }
    if let status = folder.status(of: FileSystem.basename(output)) {
      throw Diagnostic(
        .usage, "\(output) exists (\(status.kindDescription)): mpf export never writes over anything",
        notes: ["remove it, or give -o a new file name"])
    }
  }

  /// Lists every file of `root` in the manifest, writes it, and packs `scratch/top` into `output`
  /// (beside it first, then renamed).
  private static func pack(
    _ manifest: inout BundleManifest, root: String, top: String, scratch: String, into output: String, what directory: String, stop: BundleCheckStop
  ) throws {
    try BundleContents.prepare(root, top: top, exporting: directory)
    let staging = try Directory.open(root)
    let (files, others) = FileSystem.entries(under: root)
    if let other = others.first {
      throw Diagnostic(
        .usage, "cannot export \(directory): \(other.path) is \(other.kind)", notes: ["a bundle holds only files and folders: remove it from the source, commit, and run the experiment again"])
    }
    for file in files {
      let (size, sha) = try BundleReader.digest(file.path, in: staging, stop: stop)
      manifest.files.append(BundleManifest.File(path: file.path, size: size, sha256: sha))
    }
    try staging.write("manifest", Array(try manifest.text.utf8))
    let partial = output + ".part-\(ThisProcess.id)"
    FileSystem.removeFile(partial)
    defer { FileSystem.removeFile(partial) }
    let packed = try stop.run(["tar", "--format=gnu", "--owner=0", "--group=0", "--numeric-owner", "--sort=name", "-czf", partial, "-C", scratch, "--", top])
    guard packed.status == 0 else {
      throw Diagnostic(.io, "cannot write \(output): tar: \(packed.stderr.lines().prefix(3).joined(separator: " "))")
    }
    try checkOutput(output)
    try FileSystem.rename(partial, to: output)
  }

  /// experiment.yaml, the script's copy, its modules beside it, prompt.lua: read without
  /// following links, written below `experiment/`. What ran must be what goes: the script and
  /// its modules as experiment.yaml hashed them (an edited copy would replay another experiment
  /// under this one's name).
  private static func copyExperimentFiles(
    _ stored: StoredExperiment, from directory: String, into staging: Directory, warn: (String) -> Void
  ) throws {
    let source = try Directory.open(directory)
    let sources = StoredSources(stored)
    let readFile = StoredSources.reader(of: source)
    var read: [String: [UInt8]]
    do {
      // An experiment from before modules from elsewhere were stored beside the script: such a
      // module is taken from where it was loaded, if it is still what ran.
      read = try sources.check(reading: readFile) { module in
        module.file?.hasPrefix(ScriptModule.outsideFolder + "/") == true || module.file == nil ? try? FileSystem.read(module.path) : nil
      }
    } catch StoredSources.Problem.missing(let name) {
      throw Diagnostic(.usage, "cannot export \(directory): \(FileSystem.join(directory, name)) is missing", notes: ["an experiment exports only whole: the script, its modules and experiment.yaml as it ran"])
    } catch StoredSources.Problem.edited(let name) {
      throw Diagnostic(.usage, "cannot export \(directory): \(FileSystem.join(directory, name)) is not what ran (its SHA-256 differs from experiment.yaml's)",
        notes: ["the stored copies were edited after the experiment: restore them, or run the edited script as a new experiment"])
    }
    for module in sources.modules where module.file == nil {
      warn("mpf: warning: module '\(module.name)' (\(module.path)) is not in the bundle: its name cannot be a file's; a replay finds it along package.path there, and runs nothing when it is not the same")
    }
    for name in ["experiment.yaml", "prompt.lua"] {
      guard let bytes = try readFile(name) else {
        if name == "prompt.lua" { continue }
        throw Diagnostic(.usage, "cannot export \(directory): \(FileSystem.join(directory, name)) is missing")
      }
      read[name] = bytes
    }
    for (name, bytes) in read { try staging.write(BundleManifest.experimentFolder + "/" + name, bytes) }
  }

  /// One software's source into `software/NAME/...` below `root`.
  private static func exportSoftware(
    _ item: YAMLNode, into root: String, force: Bool, warn: (String) -> Void, stop: BundleCheckStop
  ) throws -> BundleManifest.SoftwareEntry {
    let name = item["name"]?.string ?? "?"
    guard (try? TarCheck.name(Array(name.utf8))) == name, !name.contains("/") else {
      throw Diagnostic(.results, "software name '\(name)' in experiment.yaml is not a name")
    }
    let source = item["source"]
    switch source?["kind"]?.string {
    case "dir":
      guard let path = source?["path"]?.string, FileSystem.isDirectory(path) else {
        throw Diagnostic(.usage, "mpf.software '\(name)': its folder \(source?["path"]?.string ?? "?") is gone: nothing to export it from")
      }
      try BundleContents.checkSourceBounds(path, software: name)
      try checkUnchanged(name, path: path, recorded: source, force: force, warn: warn, stop: stop)
      let folder = "software/\(name)"
      try copyFolder(path, to: FileSystem.join(root, folder), stop: stop)
      return BundleManifest.SoftwareEntry(name: name, kind: "dir", folder: folder, builds: [])
    case "git":
      guard let url = source?["url"]?.string, let commits = source?["commits"]?.pairs, !commits.isEmpty else {
        throw Diagnostic(.usage, "mpf.software '\(name)': experiment.yaml records no commit (the experiment stopped before deploying it)")
      }
      var entry = BundleManifest.SoftwareEntry(name: name, kind: "git", folder: nil, builds: [])
      for (key, node) in commits {
        guard let commit = node.string, commit.count >= 40, commit.allSatisfy(\.isHexDigit) else {
          throw Diagnostic(.results, "mpf.software '\(name)': build \(key) records no commit")
        }
        let folder = "software/\(name)/\(commit)"
        if !FileSystem.isDirectory(FileSystem.join(root, folder)) { try archive(commit, of: url, name: name, into: FileSystem.join(root, folder), stop: stop) }
        entry.builds.append((key, folder, commit))
      }
      return entry
    default:
      throw Diagnostic(
        .usage, "mpf.software '\(name)': its source was \(source?["kind"]?.string ?? "not recorded") (a replay's comes from its bundle)",
        notes: ["export the original experiment, or keep the bundle this one was replayed from"])
    }
  }

  /// Refuses a `dir` source that is not what the experiment recorded (unless `force`).
  private static func checkUnchanged(_ name: String, path: String, recorded: YAMLNode?, force: Bool, warn: (String) -> Void, stop: BundleCheckStop) throws {
    let commands = stop.commands
    let now: [String: LuaValue]
    do {
      now = try waitFor { try await SoftwareSource.folderRecord(path, stop: commands) { try stop.run($0) } }
    } catch let stopped as CommandStopped {
      try stop.check()
      throw stopped
    }
    try stop.check()
    let fields = ["git_commit", "git_dirty", "git_diff_sha256", "content_sha256"]
    let changed = fields.filter { field in
      guard let was = recorded?[field] else { return now[field] != nil && recorded?["git_commit"] != nil }
      return YAMLNode.value(now[field] ?? .nil).string != was.string
    }
    guard !changed.isEmpty else { return }
    let what = "mpf.software '\(name)': \(path) has changed since the experiment ran (\(changed.joined(separator: ", ")) differ)"
    guard force else {
      throw Diagnostic(.usage, what, notes: ["the bundle would hold other files than those measured: restore them, or pass --force to export them as they are now"])
    }
    warn("mpf: warning: \(what); exported as it is now (--force)")
  }

  /// The files of `path` but its `.git` (tar of this machine, through a file: links kept as
  /// links, which the walk that follows refuses).
  private static func copyFolder(_ path: String, to target: String, stop: BundleCheckStop) throws {
    try FileSystem.createDirectory(target)
    let tarFile = target + ".tar"
    defer { FileSystem.removeFile(tarFile) }
    let packed = try stop.run(["tar", "-C", path, "--exclude=./.git", "-cf", tarFile, "."])
    let copied = packed.status == 0 ? try stop.run(["tar", "-C", target, "-xf", tarFile]) : packed
    guard copied.status == 0 else { throw Diagnostic(.io, "cannot copy \(path): \(copied.stderr.lines().prefix(3).joined(separator: " "))") }
  }

  /// `git archive` of `commit`, from the controller's mirror of `url`, else `url` itself when
  /// it is a folder, else fetched into the mirror first.
  private static func archive(_ commit: String, of url: String, name: String, into target: String, stop: BundleCheckStop) throws {
    func git(_ arguments: [String]) throws -> CommandOutput { try stop.run(["git"] + arguments) }
    let mirror = GitMirror.path(of: url)
    func has(_ repository: String) throws -> Bool {
      guard FileSystem.isDirectory(repository) else { return false }
      return try git(["-C", repository, "cat-file", "-e", commit + "^{commit}"]).status == 0
    }
    var repository = try has(mirror) ? mirror : try has(url) ? url : nil
    if repository == nil, (try? GitMirror.update(url)) != nil, try has(mirror) { repository = mirror }
    guard let repository else {
      throw Diagnostic(.usage, "mpf.software '\(name)': commit \(commit) is neither in the controller's mirror nor at \(url)")
    }
    try FileSystem.createDirectory(target)
    let tarFile = target + ".tar"
    defer { FileSystem.removeFile(tarFile) }
    let made = try git(["-C", repository, "archive", "--format=tar", "-o", tarFile, commit])
    let unpacked = made.status == 0 ? try stop.run(["tar", "-C", target, "-xf", tarFile]) : made
    guard unpacked.status == 0 else {
      throw Diagnostic(.io, "mpf.software '\(name)': cannot export commit \(commit): \(unpacked.stderr.lines().prefix(3).joined(separator: " "))")
    }
  }
}
