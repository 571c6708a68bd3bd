import ArgumentParser
import MPFHost
import MPFWorker

/// `mpf worker`: the node side, spoken to by the controller over stdin/stdout.
struct WorkerCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "worker",
    abstract: "Serve a controller over stdin/stdout (mpf starts it).",
    shouldDisplay: false
  )

  func run() throws {
    let status = try Worker().serve()
    if status != 0 { throw ExitCode(status) }
  }
}
