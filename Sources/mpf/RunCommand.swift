import ArgumentParser
import MPFHost
import MPFCore

/// `mpf SCRIPT`: runs an experiment script.
struct RunCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "run",
    abstract: "Run an experiment script (the default command: `mpf SCRIPT` is `mpf run SCRIPT`)."
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

  @Option(help: "Resume this experiment (an id under --out, or its directory): run only what is missing.")
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
    var options = RunOptions(
      scriptPath: script, clusterPath: cluster, arguments: arguments, runCount: runCount, seed: seed, outputParent: output, verbose: verbose,
      quiet: quiet)
    options.resume = resume.map { ExperimentRunner.experimentDirectory(named: $0, under: output) }
    options.retryFailed = retryFailed
    try Self.execute(options)
  }

  /// Runs and maps every error to a message and an exit status (shared with `mpf resume`).
  static func execute(_ options: RunOptions) throws {
    let verbose = options.verbose
    do {
      let outcome = try ExperimentRunner(options: options).run()
      if outcome.failedRuns > 0 { throw ExitCode(3) }
    } catch let error as ScriptError {
      printError(verbose ? error.verboseDescription : error.description)
      throw ExitCode(1)
    } catch let error as ClusterSpecError {
      printError(error.description)
      throw ExitCode(1)
    } catch let error as ExperimentStopped {
      printError("mpf: \(error)")
      throw ExitCode(error.byInterrupt ? 130 : 1)
    } catch let error as TransportError {
      printError("error: \(error)")
      throw ExitCode(1)
    } catch let error as ExitCode {
      throw error
    } catch {
      printError("error: \(error)")
      throw ExitCode(1)
    }
  }
}
