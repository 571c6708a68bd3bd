import ArgumentParser
import MPFHost
import MPFCore

/// `mpf SCRIPT`: runs an experiment script.
struct RunCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "run",
    abstract: "Run an experiment script (the default command)."
  )

  @OptionGroup var script: ScriptArgument

  @OptionGroup var cluster: ClusterOption

  @OptionGroup var repetitions: RepetitionOption

  @OptionGroup var seed: SeedOption

  @OptionGroup var experiments: ExperimentsFolderOption

  @Option(help: "Resume this experiment (an id under --out, or its directory) with this script: as `mpf resume DIR`.")
  var resume: String?

  @OptionGroup var retry: RetryOption

  @Option(help: "A name for the experiment, stored with it: what mpf plot, compare and report call it (over run_experiment{label = ...}).")
  var label: String?

  @OptionGroup var pin: PinOption

  @OptionGroup var reporting: ReportingOptions

  @OptionGroup var arguments: ScriptArguments

  func run() throws {
    var options: RunOptions
    if let resume {
      // A thin alias of `mpf resume DIR`, with this script.
      options = try ResumeCommand.options(
        resuming: ExperimentRunner.experimentDirectory(named: resume, under: experiments.folder), script: script.path, retry: retry,
        cluster: cluster, repetitions: repetitions, reporting: reporting, arguments: arguments)
    } else {
      options = RunOptions(
        scriptPath: script.path, clusterPath: cluster.path, arguments: arguments.values, runCount: repetitions.count, seed: seed.seed,
        outputParent: experiments.folder, verbose: reporting.verbose, quiet: reporting.quiet)
    }
    if let label { options.label = label }
    if !pin.pins.isEmpty { options.pins = pin.pins }
    try Self.execute(options)
  }

  /// Runs and maps every error to a message and an exit status (shared with `mpf resume`).
  static func execute(_ options: RunOptions) throws {
    let outcome: RunOutcome
    do {
      outcome = try ExperimentRunner(options: options).run()
    } catch {
      throw fail(error, verbose: options.verbose)
    }
    if outcome.failedRuns > 0 { throw ExitCode(ExitStatus.someRunsFailed.rawValue) }
  }
}

/// Prints `error` as ErrorReport says and gives the exit code to throw.
func fail(_ error: any Error, verbose: Bool = false) -> ExitCode {
  let report = ErrorReport(error, verbose: verbose)
  printError(report.message)
  return ExitCode(report.status.rawValue)
}
