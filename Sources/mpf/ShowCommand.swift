import ArgumentParser
import MPFHost
import MPFCore
import MPFResults

/// `mpf show DIR`: prints a stored experiment.
struct ShowCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "show",
    abstract: "Print a stored experiment."
  )

  enum Format: String, ExpressibleByArgument, CaseIterable {
    case table, csv, json, yaml
  }

  @OptionGroup var experiment: ExperimentArgument

  @OptionGroup var experiments: ExperimentsFolderOption

  @Option(help: "table, csv, json or yaml.")
  var format: Format = .table

  func run() throws {
    do {
      let stored = try StoredExperiment.loadSayingSkipped(experiment.directory(under: experiments))
      let frame = stored.dataFrame
      let table = frame.table
      switch format {
      case .table: printText(table.formatted())
      case .csv: printData(table.csv())
      case .json: printData(table.json())
      case .yaml: printData(try table.yaml())
      }
      if format == .table {
        let status = stored.status ?? (stored.isRunning ? "running" : "stopped (no end recorded)")
        printError("\(stored.id): \(frame.rows.count) runs, \(frame.failedCount) failed, \(status)")
      }
    } catch {
      throw fail(error)
    }
  }
}
