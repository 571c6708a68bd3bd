internal import MPFCore
internal import MPFYAML
internal import MPFResults
import MPFSystem
import MPFText

/// The script's copy and the modules stored beside it, as experiment.yaml records them
/// (`script.copy`, `script.modules` with their paths and SHA-256, `script.sha256` over the
/// whole): what `mpf export` puts in a bundle, and what `mpf replay` must find in one before it
/// runs anything. One check for both, so that what export writes is what replay accepts.
struct StoredSources {
  /// The script's copy, a name in the experiment's folder.
  let scriptName: String
  /// The modules in the order experiment.yaml records them: the require name, the path the
  /// original loaded it from, where it is stored (`ScriptModule.storedName`; nil: it cannot
  /// be), the recorded SHA-256.
  let modules: [Module]
  let wholeSHA256: String?

  struct Module {
    var name: String
    var path: String
    var file: String?
    var sha256: String?
  }

  /// What a file is, when it is not what ran.
  enum Problem: Error {
    case missing(String)
    case edited(String)
  }

  init(_ stored: StoredExperiment) {
    let script = stored.record["script"]
    let scriptPath = script?["path"]?.string ?? ""
    modules = (script?["modules"]?.items ?? []).map { module in
      let (name, path) = (module["name"]?.string ?? "", module["path"]?.string ?? "")
      return Module(name: name, path: path, file: ScriptModule.storedName(name: name, path: path, scriptPath: scriptPath), sha256: module["sha256"]?.string)
    }
    scriptName = FileSystem.basename(stored.scriptCopy)
    wholeSHA256 = script?["sha256"]?.string
  }

  /// Reads a file of `folder` without following a link; nil when nothing is there (`check`'s
  /// reader for an experiment's folder and a bundle's `experiment/` alike).
  static func reader(of folder: Directory) -> (String) throws -> [UInt8]? {
    { name in folder.status(of: name) == nil ? nil : try folder.openFile(name, .readOnly).readAll() }
  }

  /// The modules stored in `directory` (the experiment's folder, or a bundle's `experiment/`),
  /// at their place there, for `require` to take first (`RunOptions.storedModules`): a resume
  /// or a replay loads the modules that ran, wherever the original found them.
  ///
  /// - Parameter read: the bytes of every stored module, when they were read already.
  func storedModules(in directory: String, read: [String: [UInt8]]? = nil) -> [ScriptModule] {
    let readFile = (try? Directory.open(directory)).map(Self.reader)
    return modules.compactMap { module in
      // One that cannot be read (not there, not a file) is found along package.path instead.
      guard let file = module.file, let bytes = read?[file] ?? (try? readFile?(file)) ?? nil else { return nil }
      return ScriptModule(name: module.name, path: FileSystem.join(directory, file), source: String(decoding: bytes, as: UTF8.self))
    }
  }

  /// Reads each file with `read` (nil: it is not there) and holds it to its recorded hash: each
  /// module's own, then `script.sha256` over the script and every module (unless a module
  /// that cannot be stored is not found: the hash of what the script loads is checked as it runs).
  ///
  /// - Parameter fallback: where a module that is not there may still be read (export: a module
  ///   of an experiment from before modules from elsewhere were stored, at its recorded path).
  /// - Returns: the bytes read, by file name.
  /// - Throws: `Problem` naming the first file missing or edited.
  func check(reading read: (String) throws -> [UInt8]?, fallback: (Module) -> [UInt8]? = { _ in nil }) throws -> [String: [UInt8]] {
    guard let script = try read(scriptName) else { throw Problem.missing(scriptName) }
    var bytes = [scriptName: script]
    var sources: [(name: String, source: String)] = []
    var complete = true
    for module in modules {
      guard let content = try module.file.flatMap(read) ?? fallback(module) else {
        // One that cannot be stored is not there to check: the whole cannot be hashed again.
        guard let file = module.file else {
          complete = false
          continue
        }
        throw Problem.missing(file)
      }
      if let sha256 = module.sha256, sha256 != SHA256.hex(content) { throw Problem.edited(module.file ?? module.path) }
      if let name = module.file { bytes[name] = content }
      sources.append((module.name, String(decoding: content, as: UTF8.self)))
    }
    let whole = Experiment.sourceForHash(script: String(decoding: script, as: UTF8.self), modules: sources)
    if complete, let wholeSHA256, SHA256.hex(whole.utf8) != wholeSHA256 { throw Problem.edited(scriptName) }
    return bytes
  }
}
