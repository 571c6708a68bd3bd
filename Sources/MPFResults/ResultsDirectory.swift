package import MPFCore
package import MPFYAML
package import MPFSystem
package import MPFText

/// `mpf_experiments/<id>/`: experiment.yaml (appended run by run), a copy of the script, logs/.
///
/// experiment.yaml is one YAML mapping whose `runs:` sequence grows at the end of the file, one
/// `write` per run; `finished:` and `status:` follow the last run when the experiment ends. So a
/// killed mpf leaves a valid file holding every finished run. A write that fails (disk full) is
/// rolled back with `ftruncate`, so the file never ends in half a run.
///
/// Every file and folder it writes goes through `Directory`: a symbolic link planted in the
/// directory (`.lock`, `logs/`, `logs/run-0001.log`, experiment.yaml) is refused, never followed.
package final class ResultsDirectory: @unchecked Sendable {
  // @unchecked: handed to the orchestrator, whose run loop is its only user (one call at a time).
  package let path: String
  package let id: String
  /// The directory, opened once: what is written in it follows no link.
  package let directory: Directory
  private var file: FileDescriptor?
  /// Run entries of a resumed experiment, kept byte for byte after the new header: the part
  /// of the old file they are in (copied in blocks), or their text.
  private var carriedRuns = ""
  private var carriedRange: Range<Int>?
  private var size = 0
  private var lastSync = Clock.monotonic()
  /// Held while this process writes the directory.
  private var lock: ExperimentLock?

  /// Creates a fresh directory under `parent`, with copies of the script and cluster file.
  /// experiment.yaml is written by `begin`, once the workers have reported their machines.
  ///
  /// - Throws: `SystemError` when the folder or files cannot be written.
  package init(parent: String, scriptPath: String, scriptSource: String, clusterPath: String? = nil) throws {
    try FileSystem.createDirectory(parent)
    var generator = SystemRandomNumberGenerator()
    var made: (String, String)?
    for _ in 0..<100 {
      let id = String(UInt32.random(in: 0...UInt32.max, using: &generator), radix: 16).zeroPadded(to: 8)
      let candidate = FileSystem.join(parent, id)
      if try FileSystem.makeDirectory(candidate) {
        made = (id, candidate)
        break
      }
    }
    guard let (id, path) = made else { throw SystemError("create a results directory", path: parent, code: .exists) }
    self.id = id
    self.path = path
    directory = try Directory.open(path)
    lock = try ExperimentLock(directory)
    try directory.write(FileSystem.basename(scriptPath), Array(scriptSource.utf8))
    if let clusterPath {
      try directory.write(FileSystem.basename(clusterPath), try FileSystem.read(clusterPath))
    }
  }

  /// Copies the modules the script requires beside its copy, at their place relative to the
  /// script's folder (`helpers.lua`, `lib/net.lua`), so that the copy runs as the original did;
  /// modules from elsewhere (a shared library along package.path) in `mpf-modules/NAME.lua`
  /// (`ScriptModule.storedName`), so that an export carries them too.
  package func copy(modules: [ScriptModule], scriptPath: String) throws {
    for module in modules {
      guard let name = module.storedName(scriptPath: scriptPath) else { continue }
      try directory.write(name, Array(module.source.utf8))
    }
  }

  /// Writes a file of its own into the directory (`prompt.lua` of an `mpf repl` session).
  package func write(file name: String, text: String) throws {
    try directory.write(name, Array(text.utf8))
  }

  /// Whether experiment.yaml has been started.
  package var hasBegun: Bool { file != nil }

  /// Writes experiment.yaml: `header`, then `runs:` (with a resumed experiment's runs), atomically.
  package func begin(_ header: YAMLNode) throws {
    // Its pieces written as they are: a header of 100 000 runs (their order, a variable's
    // values) is 1.9 MB of text, and a copy joined with `runs:` or made bytes was as much again.
    let pieces = [try YAMLEmitter.emit(header), "runs:\n", carriedRuns]
    var copied = 0
    // The runs carried over are read from the file being replaced, opened as it is written.
    let old = try carriedRange.map { _ in try directory.openFile("experiment.yaml", .readOnly) }
    try directory.write("experiment.yaml") { fd in
      for piece in pieces { try fd.write(piece.utf8) }
      if let range = carriedRange, let old { copied = try FileSystem.copy(range, from: old, to: fd) }
    }
    self.file = try directory.openFile("experiment.yaml", .writeOnly, options: [.append])
    size = pieces.reduce(copied) { $0 + $1.utf8.count }
    lastSync = Clock.monotonic()
  }

  /// Reopens an existing experiment directory to add runs: `begin` rewrites experiment.yaml
  /// (atomically) as the new header followed by its existing run entries, byte for byte; its
  /// trailer is dropped until the experiment ends again.
  package init(resuming stored: StoredExperiment) throws {
    path = stored.directory
    id = stored.id
    directory = try Directory.open(stored.directory)
    lock = try ExperimentLock(directory)
    if let range = stored.runsRange {
      carriedRange = range
    } else {
      // A file of format 1 (no end lines): its runs are written again, each with its end line.
      carriedRuns = try stored.rows.sorted { $0.index < $1.index }.map {
        try YAMLEmitter.emit(.sequence([ExperimentRecord.run($0, variables: stored.variables)]))
      }.joined()
    }
  }


  /// Appends one finished run to `runs:`; fsyncs when the last fsync is a second old.
  package func append(run: YAMLNode) throws {
    try append(try YAMLEmitter.emit(.sequence([run])))
    if Clock.monotonic() - lastSync >= 1 { try sync() }
  }

  /// Ends the file with `finished:` and `status:`, and fsyncs it.
  package func finish(_ trailer: YAMLNode) throws {
    try append(try YAMLEmitter.emit(trailer))
    try sync()
  }

  /// Writes `logs/<name>` and returns its path relative to the experiment directory.
  package func writeLog(named name: String, _ text: String) throws -> String {
    let relative = "logs/\(name)"
    try directory.openFile(relative, .writeOnly, options: [.create, .truncate]).write(Array(text.utf8))
    return relative
  }

  /// Writes files brought back from a node under `folder` (relative to the experiment
  /// directory) and returns their relative paths. A path that would leave `folder` is refused.
  package func store(_ files: [WorkerFile], under folder: String) throws -> [String] {
    try files.map { file in
      let parts = file.path.split(separator: "/")
      guard !parts.isEmpty, !parts.contains(".."), !file.path.hasPrefix("/") else {
        throw SystemError("store a file brought back as", path: file.path, code: .invalid)
      }
      let relative = FileSystem.join(folder, file.path)
      try directory.write(relative, file.contents)
      return relative
    }
  }

  package func sync() throws {
    try file?.sync()
    lastSync = Clock.monotonic()
  }

  private func append(_ text: String) throws {
    guard let file else { throw SystemError("append to", path: FileSystem.join(path, "experiment.yaml"), code: .badDescriptor) }
    let bytes = Array(text.utf8)
    do {
      try file.write(bytes)
      size += bytes.count
    } catch {
      // Leave the file as it was before this write: valid YAML ending with the last whole run.
      // If even that fails, say both: the file may end in half a run.
      do {
        try file.truncate(to: size)
      } catch let rollback {
        throw SystemError("\(error); and then cannot roll back: \(rollback)")
      }
      throw error
    }
  }
}
