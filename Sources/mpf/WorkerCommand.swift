import ArgumentParser
import MPFCluster
import MPFHost
import MPFWorker

/// `mpf worker`: the node side, spoken to by the controller over stdin/stdout.
struct WorkerCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "worker",
    abstract: "Serve a controller over stdin/stdout (mpf starts it).",
    shouldDisplay: false
  )

  @Flag(help: "Print this build's identity (the name nodes cache it under) and exit.")
  var buildID = false

  func run() throws {
    if buildID {
      // The controller's check of a node's cached copy: a copy that is not this build answers otherwise.
      print(try BinaryIdentity.current().hash)
      return
    }
    let status = try Worker().serve()
    if status != 0 { throw ExitCode(status) }
  }
}
