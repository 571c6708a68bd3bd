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

  @Argument(help: "The experiment script.")
  var script: String

  @Option(name: [.customShort("c"), .customLong("cluster")], help: "Place the roles on this cluster file's machines.")
  var cluster: String?

  @Option(name: [.customLong("n-runs"), .customShort("n")], help: "Repetitions of each point (overrides the script's n_runs).")
  var runCount: Int?

  @Option(help: "Seed of the run order (overrides the script's seed).")
  var seed: UInt64?

  @Option(name: .customLong("out"), help: "Folder of stored experiments (for the estimate).")
  var output = "mpf_experiments"

  @Flag(help: "List every run of the order, not only the first 20.")
  var all = false

  @Option(name: .customLong("points-out"), help: "Write the points (what a design chose) to this CSV file, for run_experiment{design = {file = FILE}}.")
  var pointsOut: String?

  @Argument(parsing: .postTerminator, help: "Arguments for the script after `--` (mpf.args).")
  var arguments: [String] = []

  func run() throws {
    switch ScriptPlan.run(
      scriptPath: script, clusterPath: cluster, arguments: arguments, runCount: runCount, seed: seed, shown: all ? nil : 20,
      experiments: output, pointsOut: pointsOut)
    {
    case .success(let text): printText(text, terminator: "")
    case .failure(let problems):
      for line in problems.lines { printError(line) }
      throw ExitCode(ExitStatus.error.rawValue)
    }
  }
}
