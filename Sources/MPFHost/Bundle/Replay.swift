package import MPFCore
internal import MPFResults
internal import MPFYAML
internal import MPFCluster
package import MPFReport
import MPFSystem
import MPFText

/// `mpf replay BUNDLE`: the bundle's experiment run again with what it recorded (its stored
/// script, seed, n_runs, arguments, label, each software's source from the bundle), then
/// compared with the original.
package enum Replay {
  /// The options that run the unpacked bundle's experiment again, as `mpf resume` runs a stored
  /// copy: the script's copy in the bundle, its pins (`pinned:`), and nothing taken from where
  /// the original ran.
  ///
  /// - Throws: `Diagnostic` when the bundle's experiment cannot be read, or when the cluster's
  ///   roles (or this machine, without one) are not the original's.
  package static func options(
    for bundle: UnpackedBundle, clusterPath: String?, outputParent: String, verbose: Bool, quiet: Bool
  ) throws -> RunOptions {
    let stored = try StoredExperiment.load(bundle.experimentDirectory, headerOnly: true)
    guard stored.id == bundle.manifest.id else {
      throw bundle.refusal("\(FileSystem.basename(bundle.root))/manifest", "it names experiment \(bundle.manifest.id), its experiment.yaml \(TerminalText.escaped(stored.id))")
    }
    let sources = StoredSources(stored)
    let modules = try checkRecorded(stored, sources, in: bundle)
    try checkRoles(bundle.manifest.roles, clusterPath: clusterPath)
    let adaptive = stored.record["adaptive"] != nil
    var options = RunOptions(
      scriptPath: FileSystem.join(bundle.experimentDirectory, FileSystem.basename(stored.scriptCopy)), clusterPath: clusterPath,
      arguments: stored.arguments, runCount: adaptive ? nil : stored.runCount, seed: stored.seed, outputParent: outputParent,
      verbose: verbose, quiet: quiet)
    options.label = stored.label
    options.pins = stored.pins
    options.recordedScriptPath = stored.scriptPath
    options.bundledSoftware = bundle.manifest.bundledSoftware(in: bundle.root)
    options.replayOf = ReplayOrigin(id: stored.id, bundleSHA256: bundle.sha256)
    options.expected = ReplayExpectation(stored, sources: sources)
    options.storedModules = modules
    return options
  }

  /// The bundle's files are what its experiment.yaml says ran: the script's copy and its modules
  /// hash as recorded (another script would be replayed under the original's name), and the
  /// manifest's roles are the recorded ones (a replay is checked against the cluster by them).
  ///
  /// - Returns: the original's modules, from the bundle (at their place there).
  static func checkRecorded(_ stored: StoredExperiment, _ sources: StoredSources, in bundle: UnpackedBundle) throws -> [ScriptModule] {
    let top = FileSystem.basename(bundle.root)
    let entry = { (name: String) in "\(top)/\(BundleManifest.experimentFolder)/\(name)" }
    let folder = try Directory.open(bundle.experimentDirectory)
    let read: [String: [UInt8]]
    do {
      read = try sources.check(reading: StoredSources.reader(of: folder))
    } catch StoredSources.Problem.missing(let name) {
      throw bundle.refusal(entry(name), "it is missing: experiment.yaml records it as the script or one of its modules")
    } catch StoredSources.Problem.edited(let name) {
      throw bundle.refusal(entry(name), "it is not what ran: its SHA-256 differs from what experiment.yaml records")
    }
    let recorded = BundleManifest.roles(recordedIn: stored.record)
    guard recorded == bundle.manifest.roles else {
      let said = { (roles: [BundleManifest.Role]) in roles.map { "\($0.name) (\($0.machines))" }.joined(separator: ", ") }
      throw bundle.refusal(
        "\(top)/manifest", "its roles (\(said(bundle.manifest.roles))) are not those experiment.yaml records (\(said(recorded)))")
    }
    return sources.storedModules(in: bundle.experimentDirectory, read: read)
  }

  /// Each role of the original has as many machines in the cluster file, or, without one, a
  /// single machine (every role then runs here).
  static func checkRoles(_ roles: [BundleManifest.Role], clusterPath: String?) throws {
    guard let clusterPath else {
      if let role = roles.first(where: { $0.machines > 1 }) {
        throw Diagnostic(
          .cluster, "role '\(role.name)' had \(role.machines) machines in the original experiment; without -c each role runs here on one",
          notes: ["give a cluster file with \(role.machines) machines for it: mpf replay BUNDLE -c cluster.yaml"])
      }
      return
    }
    let cluster = try ClusterSpec.load(clusterPath)
    for role in roles {
      let count = cluster.nodes(of: role.name).count
      guard count == role.machines else {
        throw Diagnostic(
          cluster: clusterPath, line: 0, "role '\(role.name)' has \(count) machine\(count == 1 ? "" : "s") here, the original experiment had \(role.machines)",
          notes: ["a replay runs on the original's roles: give the role \(role.machines) machine\(role.machines == 1 ? "" : "s")"])
      }
    }
  }

  /// The original (from the bundle) and its replay, compared as `mpf compare` does, with their
  /// names; the comparison is nil when they share no numeric result (`why` says so).
  /// `direction` nil: each result's unit or name says which way is better.
  package static func comparison(
    of bundle: UnpackedBundle, with replayDirectory: String, direction: Comparison.Direction? = nil
  ) throws -> (comparison: Comparison?, why: String, nameA: String, nameB: String) {
    let original = try StoredExperiment.load(bundle.experimentDirectory)
    // A run entry of the bundle's experiment.yaml skipped (damaged) is said, as mpf compare says it.
    for warning in original.warnings { FileSystem.writeStderr(bundle.inBundleTerms(warning).escapingControlCharacters + "\n") }
    let replay = try StoredExperiment.loadSayingSkipped(replayDirectory)
    let names = ("original \(original.id)", "replay \(replay.id)")
    do {
      return (try Comparison(original, replay, direction: direction), "", names.0, names.1)
    } catch {
      return (nil, (error as? LuaRaise)?.message ?? ErrorReport(error).message, names.0, names.1)
    }
  }
}
