import ArgumentParser
import MPFHost
import MPFCore
import MPFResults

/// `mpf show DIR`: prints a stored experiment.
struct ShowCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "show",
    abstract: "Print a stored experiment (a folder under mpf_experiments/)."
  )

  enum Format: String, ExpressibleByArgument, CaseIterable {
    case table, csv, json, yaml
  }

  @Argument(help: "The experiment directory, e.g. mpf_experiments/3f9a2c1e.")
  var directory: String

  @Option(help: "table, csv, json or yaml.")
  var format: Format = .table

  func run() throws {
    do {
      let stored = try StoredExperiment.load(directory)
      let frame = stored.dataFrame
      switch format {
      case .table: print(frame.formatted())
      case .csv: print(frame.csv(), terminator: "")
      case .json: print(frame.json(), terminator: "")
      case .yaml: print(try frame.yaml(), terminator: "")
      }
      if format == .table {
        let status = stored.status ?? "stopped (no end recorded)"
        printError("\(stored.id): \(frame.rows.count) runs, \(frame.failedCount) failed, \(status)")
      }
    } catch {
      throw fail(error)
    }
  }
}
