internal import MPFCore
internal import MPFResults
internal import MPFYAML
import MPFSystem
import MPFText

/// `mpf resume DIR` and `mpf SCRIPT --resume ID`: the experiment named, and the options that go
/// on with it.
extension ExperimentRunner {
  /// An experiment named on the command line: a directory holding experiment.yaml, or an id
  /// under `parent` (`3f9a2c1e` for mpf_experiments/3f9a2c1e); else the name as given, so
  /// that the error names what the user typed.
  package static func experimentDirectory(named name: String, under parent: String) -> String {
    if FileSystem.exists(FileSystem.join(name, "experiment.yaml")) { return name }
    let underParent = FileSystem.join(parent, name)
    return FileSystem.exists(FileSystem.join(underParent, "experiment.yaml")) ? underParent : name
  }

  /// The options that resume the experiment in `directory`: its script (`script` when given,
  /// else the copy stored beside the results, which is what ran; a note says so when the
  /// original has changed since), arguments and cluster. `mpf resume DIR` and
  /// `mpf SCRIPT --resume ID` both come here.
  ///
  /// - Throws: `Diagnostic` when the directory holds no readable experiment.
  package static func resumeOptions(
    for directory: String, script: String? = nil, clusterPath: String?, arguments: [String], runCount: Int?,
    retryFailed: Bool, verbose: Bool, quiet: Bool
  ) throws -> RunOptions {
    let stored = try StoredExperiment.load(directory, headerOnly: true)
    if let origin = stored.replayOf, !(stored.record["software"]?.items ?? []).isEmpty {
      throw Diagnostic(
        .usage, "\(directory) is a replay of \(origin.id) that deployed software from its bundle, which was not kept: it cannot be resumed",
        notes: ["run mpf replay BUNDLE again (the bundle whose sha256 is \(origin.bundleSHA256.prefix(16))...)"])
    }
    let path = script ?? stored.scriptCopy
    if script == nil, FileSystem.exists(stored.scriptPath),
      (try? FileSystem.read(stored.scriptPath)) != (try? FileSystem.read(stored.scriptCopy))
    {
      FileSystem.writeStderr(TerminalText.escaped(
        "mpf: \(stored.scriptPath) has changed since the experiment started; resuming with the stored copy, \(stored.scriptCopy)"
          + " (mpf resume \(directory) --script \(stored.scriptPath) runs the edited one)", keepingLines: true) + "\n")
    }
    var options = RunOptions(
      scriptPath: path, clusterPath: clusterPath ?? stored.clusterCopy, arguments: arguments.isEmpty ? stored.arguments : arguments,
      runCount: runCount, outputParent: FileSystem.dirname(directory), verbose: verbose, quiet: quiet)
    options.resume = directory
    options.retryFailed = retryFailed
    options.label = stored.label
    options.pins = stored.pins
    options.replayOf = stored.replayOf
    // The modules that ran, kept beside the stored copy, unless another script is run.
    if script == nil { options.storedModules = StoredSources(stored).storedModules(in: directory) }
    if script == nil { options.recordedScriptPath = stored.scriptPath }
    return options
  }
}
