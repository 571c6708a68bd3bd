import ArgumentParser
import MPFCore
import MPFHost

/// `mpf plan SCRIPT`: an experiment's runs, placement and duration, without running it.
struct PlanCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "plan",
    abstract: "Show what a script would run, where, how long.",
    discussion: """
      The script runs up to mpf.run_experiment (commands and prints left out, as mpf check does); \
      nothing connects anywhere. The estimate comes from the latest experiment of the same \
      script under --out, else from the functions' delays.
      """
  )

  @OptionGroup var script: ScriptArgument

  @OptionGroup var cluster: ClusterOption

  @OptionGroup var repetitions: RepetitionOption

  @OptionGroup var seed: SeedOption

  @OptionGroup var experiments: ExperimentsFolderOption

  @Flag(help: "List every run of the order, not only the first 20.")
  var all = false

  @Option(name: .customLong("points-out"), help: "Write the points (what a design chose) to this CSV file, for run_experiment{design = {file = FILE}}.")
  var pointsOut: String?

  @OptionGroup var pin: PinOption

  @OptionGroup var arguments: ScriptArguments

  func run() throws {
    switch ScriptPlan.run(
      scriptPath: script.path, clusterPath: cluster.path, arguments: arguments.values, runCount: repetitions.count, seed: seed.seed,
      shown: all ? nil : 20, experiments: experiments.folder, pointsOut: pointsOut, pins: pin.pins)
    {
    case .success(let text): printText(text, terminator: "")
    case .failure(let problems):
      for line in problems.lines { printError(line) }
      throw ExitCode(ExitStatus.error.rawValue)
    }
  }
}
