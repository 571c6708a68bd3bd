import ArgumentParser
import MPFHost
import MPFCore

/// `mpf SCRIPT`: runs an experiment script.
struct RunCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "run",
    abstract: "Run an experiment script (the default command)."
  )

  @Argument(help: "The experiment script (Lua).")
  var script: String

  @Option(name: [.customShort("c"), .customLong("cluster")], help: "The cluster file (YAML); without it every role runs on this machine.")
  var cluster: String?

  @Option(name: [.customLong("n-runs"), .customShort("n")], help: "Repetitions of each point (overrides the script's n_runs; default 3).")
  var runCount: Int?

  @Option(help: "Seed of the run order (overrides the script's seed; default: a new one, stored with the results).")
  var seed: UInt64?

  @Option(name: .customLong("out"), help: "Folder where experiment directories are made.")
  var output = "mpf_experiments"

  @Option(help: "Resume this experiment (an id under --out, or its directory) with this script: as `mpf resume DIR`.")
  var resume: String?

  @Flag(help: "With --resume, also redo the runs that failed.")
  var retryFailed = false

  @Flag(name: .shortAndLong, help: "Show Lua tracebacks with errors.")
  var verbose = false

  @Flag(name: .shortAndLong, help: "No progress output.")
  var quiet = false

  @Argument(parsing: .postTerminator, help: "Arguments for the script after `--` (mpf.args).")
  var arguments: [String] = []

  func validate() throws {
    if let runCount, runCount < 1 { throw ValidationError("--n-runs must be at least 1") }
  }

  func run() throws {
    let options: RunOptions
    if let resume {
      // A thin alias of `mpf resume DIR`, with this script.
      do {
        options = try ExperimentRunner.resumeOptions(
          for: ExperimentRunner.experimentDirectory(named: resume, under: output), script: script, clusterPath: cluster,
          arguments: arguments, runCount: runCount, retryFailed: retryFailed, verbose: verbose, quiet: quiet)
      } catch {
        throw fail(error)
      }
    } else {
      options = RunOptions(
        scriptPath: script, clusterPath: cluster, arguments: arguments, runCount: runCount, seed: seed, outputParent: output,
        verbose: verbose, quiet: quiet)
    }
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
