import ArgumentParser
import MPFCore
import MPFResults

/// `mpf list [DIR]`: the stored experiments, newest first.
struct ListCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "list",
    abstract: "List stored experiments, newest first."
  )

  @Argument(help: "The folder of experiment directories.")
  var directory = "mpf_experiments"

  func run() throws {
    let entries = ExperimentList.entries(under: directory)
    if entries.isEmpty {
      printError("mpf list: no experiment under \(directory)")
      return
    }
    printText(ExperimentList.table(entries))
  }
}
