import ArgumentParser
import MPFCore
import MPFHost
import MPFSystem

/// `mpf repl [SCRIPT]`: a Lua prompt with mpf loaded.
struct ReplCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "repl",
    abstract: "A Lua prompt with mpf (and a script) loaded.",
    discussion: """
      An expression is printed; an unfinished chunk asks for more lines; Tab completes names; \
      history is kept in $XDG_STATE_HOME/mpf/history (or ~/.local/state/mpf/history). \
      Ctrl-C stops what runs, never the prompt; Ctrl-D leaves. With a script, it is loaded up to \
      its mpf.run_experiment, which `mpf.run_experiment()` at the prompt runs (again after a \
      change, as often as wanted). Without a terminal (mpf repl < commands.lua), no prompt is \
      shown and the first error ends it with status 1.
      """
  )

  @Argument(help: "An experiment script to load (optional).")
  var script: String?

  @OptionGroup var cluster: ClusterOption

  @OptionGroup var repetitions: RepetitionOption

  @OptionGroup var experiments: ExperimentsFolderOption

  @Flag(name: .shortAndLong, help: "No progress output for experiments.")
  var quiet = false

  @Flag(name: .customLong("machine"), help: "For programs (the Jupyter kernel): requests on standard input, JSON answers on descriptor 3 (docs/notebook.md).")
  var machine = false

  @OptionGroup var arguments: ScriptArguments

  func run() throws {
    if let script, !FileSystem.exists(script) {
      printError("mpf repl: no such script: \(script)")
      throw ExitCode(ExitStatus.error.rawValue)
    }
    let options = RunOptions(
      scriptPath: script ?? "repl.lua", clusterPath: cluster.path, arguments: arguments.values, runCount: repetitions.count,
      outputParent: experiments.folder, quiet: quiet)
    let status: ExitStatus
    do {
      status = machine ? try MachineRepl(options: options).run() : try Repl(options: options).run()
    } catch {
      throw fail(error)
    }
    if status != .success { throw ExitCode(status.rawValue) }
  }
}
