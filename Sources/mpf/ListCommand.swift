import ArgumentParser
import MPFCore
import MPFHost
import MPFResults
import MPFSystem

/// `mpf list [DIR]`: the stored experiments, newest first.
struct ListCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "list",
    abstract: "List stored experiments, newest first."
  )

  @Argument(help: "The folder of experiment directories (default: mpf_experiments).")
  var folder: String?

  @Flag(help: "Also the experiments that ended before any run (a deploy that failed, say).")
  var all = false

  func run() throws {
    let directory = folder ?? "mpf_experiments"
    // Where mpf never ran there is nothing to list yet: said, not an error; a folder named
    // on the command line that is not there is one.
    if folder == nil, !FileSystem.exists(directory) {
      printError("mpf list: no experiment here yet (the first run makes mpf_experiments/)")
      return
    }
    if let problem = ExperimentList.folderProblem(directory) {
      printError("mpf list: " + problem)
      throw ExitCode(ExitStatus.error.rawValue)
    }
    let entries = ExperimentList.entries(under: directory)
    if entries.isEmpty {
      printError("mpf list: no experiment under \(directory)")
      return
    }
    let shown = all ? entries : entries.filter { !$0.endedBeforeAnyRun }
    if !shown.isEmpty { printText(ExperimentList.table(shown)) }
    let hidden = entries.count - shown.count
    if hidden > 0 {
      printText("(\(hidden) more ended before any run, a deploy that failed say: mpf list --all shows them)")
    }
  }
}
