package import MPFCore
package import MPFSystem

/// Workers and commands of this machine (`localhost` in the cluster file, or no cluster file):
/// `mpf worker` is this very executable, commands run with `sh -c`.
package struct LocalLauncher: WorkerLauncher {
  package var name: String { "sh" }
  package var copiesBinary: Bool { false }
  package var sharesFiles: Bool { false }

  package init() {}

  package func startWorker(_ assignment: RoleAssignment, placement: [String], binary: String) throws -> any Channel {
    try ProcessChannel(name: assignment.role, arguments: placement + [binary, "worker"])
  }

  package func run(_ command: String, on machine: Machine, input: String?, opening: Bool, limits: CommandLimits) throws -> CommandOutput {
    try LocalProgram.run(["sh", "-c", command], input: input, newProcessGroup: true, limits: limits)
  }

  package func transportFailure(_ output: CommandOutput, opening: Bool) -> String? { nil }

  package func rsyncDestination(_ folder: String, on machine: Machine) throws -> (options: [String], target: String)? {
    try FileSystem.createDirectory(folder)
    return ([], folder + "/")
  }
}
