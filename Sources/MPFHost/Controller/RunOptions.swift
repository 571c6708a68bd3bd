package import MPFCore

/// What the command line asks of a run.
package struct RunOptions: Sendable {
  package var scriptPath: String
  /// The cluster file (`-c`); nil runs every role as a local worker.
  package var clusterPath: String?
  package var arguments: [String]
  package var runCount: Int?
  package var seed: UInt64?
  /// Where experiment directories are made (`--out`, default `mpf_experiments`).
  package var outputParent: String
  package var verbose: Bool
  package var quiet: Bool
  /// An experiment directory to resume: only its missing runs are done.
  package var resume: String?
  /// The script's path as experiment.yaml records it, when the file run is another (a resume
  /// runs the stored copy but keeps the original's path).
  package var recordedScriptPath: String?
  /// With `resume`, also redo the runs that failed.
  package var retryFailed = false
  /// `--label`: names the experiment (over the script's `run_experiment{label = ...}`).
  package var label: String?
  /// `--pin NAME=VALUE`: variables held to one value (mpf bisect's probes), by name.
  package var pins: [String: String] = [:]
  /// `mpf replay`: each software's source by build, from the unpacked bundle (nothing fetched).
  /// nil: not a replay (every software takes its source as declared).
  package var bundledSoftware: [String: BundledSource]?
  /// `mpf replay`: the experiment and bundle run again, recorded as `replay_of`.
  package var replayOf: ReplayOrigin?
  /// `mpf replay`: the original's script hash and plan, which the replay must find again.
  package var expected: ReplayExpectation?
  /// `mpf replay`: the original's modules from the bundle, which `require` takes first.
  package var storedModules: [ScriptModule] = []

  package init(
    scriptPath: String, clusterPath: String? = nil, arguments: [String] = [], runCount: Int? = nil, seed: UInt64? = nil,
    outputParent: String = "mpf_experiments", verbose: Bool = false, quiet: Bool = false
  ) {
    self.scriptPath = scriptPath
    self.clusterPath = clusterPath
    self.arguments = arguments
    self.runCount = runCount
    self.seed = seed
    self.outputParent = outputParent
    self.verbose = verbose
    self.quiet = quiet
  }
}

/// How a run of `mpf SCRIPT` ended.
package struct RunOutcome: Sendable {
  /// The experiment directories written (one per `mpf.run_experiment`).
  package var resultDirectories: [String] = []
  package var failedRuns = 0
  package var totalRuns = 0
}
