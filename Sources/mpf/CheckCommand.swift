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
      (with -c) roles the cluster file lacks are reported, each at its file:line; a mistake of a \
      declaration does not hide the next. A $name in an ex command that nothing would expand (no \
      parameter, variable, Lua name, ctx field or environment variable: a typo) is a warning. \
      Exit status 1 when there is an error.
      """
  )

  @OptionGroup var script: ScriptArgument

  @OptionGroup var cluster: ClusterOption

  @OptionGroup var arguments: ScriptArguments

  func run() throws {
    let (problems, warnings, summary) = ScriptCheck.run(scriptPath: script.path, clusterPath: cluster.path, arguments: arguments.values)
    for line in problems + warnings { printError(line) }
    if !problems.isEmpty { throw ExitCode(ExitStatus.error.rawValue) }
    printText(summary + (warnings.isEmpty ? ": ok" : ": ok, but \(warnings.count) warning\(warnings.count == 1 ? "" : "s") above"))
  }
}
