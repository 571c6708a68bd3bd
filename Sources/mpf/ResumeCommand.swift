import ArgumentParser
import MPFHost
import MPFCore

/// `mpf resume DIR`: runs what an experiment is missing.
struct ResumeCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "resume",
    abstract: "Run what a stopped experiment is missing."
  )

  @OptionGroup var experiment: ExperimentArgument

  @OptionGroup var experiments: ExperimentsFolderOption

  @Option(help: "Run this script instead of the copy stored with the experiment (an edited one).")
  var script: String?

  @OptionGroup var retry: RetryOption

  @OptionGroup var cluster: ClusterOption

  @OptionGroup var repetitions: RepetitionOption

  @OptionGroup var reporting: ReportingOptions

  @OptionGroup var arguments: ScriptArguments

  func run() throws {
    try RunCommand.execute(
      Self.options(
        resuming: experiment.directory(under: experiments), script: script, retry: retry, cluster: cluster, repetitions: repetitions,
        reporting: reporting, arguments: arguments))
  }

  /// The options of a resumed experiment: `mpf resume DIR` and `mpf run SCRIPT --resume DIR`.
  static func options(
    resuming directory: String, script: String?, retry: RetryOption, cluster: ClusterOption, repetitions: RepetitionOption,
    reporting: ReportingOptions, arguments: ScriptArguments
  ) throws -> RunOptions {
    do {
      return try ExperimentRunner.resumeOptions(
        for: directory, script: script, clusterPath: cluster.path, arguments: arguments.values, runCount: repetitions.count,
        retryFailed: retry.retryFailed, verbose: reporting.verbose, quiet: reporting.quiet)
    } catch {
      throw fail(error)
    }
  }
}
