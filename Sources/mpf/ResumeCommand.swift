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

  @OptionGroup var experiments: ExperimentsFolderOption

  @Option(help: "Run this script instead of the copy stored with the experiment (an edited one).")
  var script: String?

  @Flag(help: "Also redo the runs that failed.")
  var retryFailed = false

  @OptionGroup var cluster: ClusterOption

  @OptionGroup var repetitions: RepetitionOption

  @OptionGroup var reporting: ReportingOptions

  @OptionGroup var arguments: ScriptArguments

  func run() throws {
    let options: RunOptions
    do {
      options = try ExperimentRunner.resumeOptions(
        for: ExperimentRunner.experimentDirectory(named: directory, under: experiments.folder), script: script, clusterPath: cluster.path,
        arguments: arguments.values, runCount: repetitions.count, retryFailed: retryFailed, verbose: reporting.verbose,
        quiet: reporting.quiet)
    } catch {
      throw fail(error)
    }
    try RunCommand.execute(options)
  }
}
