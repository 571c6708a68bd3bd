import ArgumentParser
import MPFCore
import MPFHost

/// `mpf check SCRIPT`: the script's mistakes, found without running anything.
struct CheckCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "check",
    abstract: "Report a script's mistakes without running anything.",
    discussion: """
      The script runs up to mpf.run_experiment with commands and prints left out; then every \
      function parameter that names no variable, unknown or mistyped run_experiment options and \
      (with -c) roles the cluster file lacks are reported, each at its file:line. Exit status 1 \
      when there is any.
      """
  )

  @Argument(help: "The experiment script.")
  var script: String

  @Option(name: [.customShort("c"), .customLong("cluster")], help: "Check the roles against this cluster file.")
  var cluster: String?

  @Argument(parsing: .postTerminator, help: "Arguments for the script after `--` (mpf.args).")
  var arguments: [String] = []

  func run() throws {
    let (problems, summary) = ScriptCheck.run(scriptPath: script, clusterPath: cluster, arguments: arguments)
    for problem in problems { printError(problem) }
    if !problems.isEmpty { throw ExitCode(ExitStatus.error.rawValue) }
    printText(summary + ": ok")
  }
}
