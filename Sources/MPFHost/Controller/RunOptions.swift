/// What the command line asks of a run.
public struct RunOptions: Sendable {
  public var scriptPath: String
  /// The cluster file (`-c`); nil runs every role as a local worker.
  public var clusterPath: String?
  public var arguments: [String]
  public var runCount: Int?
  public var seed: UInt64?
  /// Where experiment directories are made (`--out`, default `mpf_experiments`).
  public var outputParent: String
  public var verbose: Bool
  public var quiet: Bool
  /// An experiment directory to resume: only its missing runs are done.
  public var resume: String?
  /// With `resume`, also redo the runs that failed.
  public var retryFailed = false

  public init(
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
public struct RunOutcome: Sendable {
  /// The experiment directories written (one per `mpf.run_experiment`).
  public var resultDirectories: [String] = []
  public var failedRuns = 0
  public var totalRuns = 0
}
