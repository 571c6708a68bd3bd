import ArgumentParser
import MPFHost
import MPFCore

/// `mpf resume DIR`: runs what an experiment is missing.
struct ResumeCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "resume",
    abstract: "Run what a stopped experiment is missing."
  )

  @Argument(help: "The experiment: its directory (mpf_experiments/3f9a2c1e) or its id under --out (3f9a2c1e).")
  var directory: String

  @Option(name: .customLong("out"), help: "Folder where experiment directories are made.")
  var output = "mpf_experiments"

  @Option(help: "Run this script instead of the copy stored with the experiment (an edited one).")
  var script: String?

  @Flag(help: "Also redo the runs that failed.")
  var retryFailed = false

  @Option(name: [.customShort("c"), .customLong("cluster")], help: "A cluster file (default: the copy in the directory).")
  var cluster: String?

  @Option(name: [.customLong("n-runs"), .customShort("n")], help: "Repetitions of each point (default: the experiment's).")
  var runCount: Int?

  @Flag(name: .shortAndLong, help: "Show Lua tracebacks with errors.")
  var verbose = false

  @Flag(name: .shortAndLong, help: "No progress output.")
  var quiet = false

  @Argument(parsing: .postTerminator, help: "Arguments for the script (default: the experiment's).")
  var arguments: [String] = []

  func run() throws {
    let options: RunOptions
    do {
      options = try ExperimentRunner.resumeOptions(
        for: ExperimentRunner.experimentDirectory(named: directory, under: output), script: script, clusterPath: cluster, arguments: arguments, runCount: runCount, retryFailed: retryFailed, verbose: verbose,
        quiet: quiet)
    } catch {
      throw fail(error)
    }
    try RunCommand.execute(options)
  }
}
