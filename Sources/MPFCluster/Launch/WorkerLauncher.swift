package import MPFCore
package import MPFText

/// How workers start on a kind of machine, and how commands run there: a local process
/// (`LocalLauncher`), ssh (`SSHLauncher`) or a step of the Slurm job mpf runs in
/// (`SrunLauncher`).
///
/// The kind is chosen once, where the cluster is resolved (`launcher(for:)`, from what the
/// cluster file said); the connector and the deployer then ask the launcher, never the kind.
package protocol WorkerLauncher: Sendable {
  /// How messages name the way in: `ssh`, `srun`, `sh`.
  var name: String { get }
  /// Whether machines reached this way run a copy of mpf from their cache (false: this very
  /// executable, where it is).
  var copiesBinary: Bool { get }
  /// Whether the machines usually share files with this one and with each other (a cluster's
  /// home): a node may find this very binary at its path, and the default software folder is
  /// one per node.
  var sharesFiles: Bool { get }

  /// Starts `mpf worker` for `assignment`: `placement` (`ip netns exec NS`, `taskset -c N`,
  /// plain words) then `binary` (a shell word on a machine that copies it).
  ///
  /// - Throws: `TransportError` when the process cannot start.
  func startWorker(_ assignment: RoleAssignment, placement: [String], binary: String) throws -> any Channel

  /// Runs `command` with `sh -c` on `machine` to completion, or until `limits` end it;
  /// `input` (a file of this machine) as its standard input (see `CommandLimits.endsWithInput`
  /// for the others). `opening`: the first command on the machine (ssh makes its
  /// master connection with it).
  ///
  /// - Throws: `SystemError` when the launching program cannot start.
  func run(_ command: String, on machine: Machine, input: String?, opening: Bool, limits: CommandLimits) throws -> CommandOutput

  /// What went wrong in the launcher itself (it could not reach the machine), nil when the
  /// command ran; `opening`: about the first command on the machine.
  func transportFailure(_ output: CommandOutput, opening: Bool) -> String?

  /// The lines `check` prints on each of `machines` (host name → lines), run everywhere at
  /// once; nil where the launcher probes each machine on its own.
  func probeAll(_ check: String, machines: [Machine]) async throws -> [String: [String]]?

  /// How rsync reaches `folder` on `machine` (made if missing): its options and destination;
  /// nil when rsync cannot reach it this way (a tar stream goes through `run` instead).
  func rsyncDestination(_ folder: String, on machine: Machine) throws -> (options: [String], target: String)?

  /// Forgets `machine`'s connection: the next command makes a new one.
  func disconnect(_ machine: Machine)

  /// Ends every connection and removes what the launcher kept on this machine.
  func close()
}

extension WorkerLauncher {
  package func run(_ command: String, on machine: Machine, input: String?, opening: Bool) throws -> CommandOutput {
    try run(command, on: machine, input: input, opening: opening, limits: CommandLimits())
  }

  package func probeAll(_ check: String, machines: [Machine]) async throws -> [String: [String]]? { nil }
  package func disconnect(_ machine: Machine) {}
  package func close() {}
}

/// The launcher of a cluster's machines that are not this one: ssh, or srun steps inside the
/// Slurm allocation that a `pool: {slurm: true}` resolved to. The one place the kind is read.
///
/// - Throws: `SystemError` when its private folder cannot be made.
package func launcher(for cluster: Cluster) throws -> any WorkerLauncher {
  switch cluster.launcher {
  case .ssh: try SSHLauncher(configFile: cluster.sshConfig, connectTimeout: cluster.connectTimeout)
  case .srun(let job): try SrunLauncher(job: job)
  }
}

/// What a command run to completion printed (within its limits), and its exit status.
package struct CommandOutput: Sendable {
  package enum Ending: Sendable, Equatable {
    /// It ran past its timeout and was ended.
    case timedOut
    /// Its `CommandStop` ended it.
    case stopped
  }

  package var status: Int32
  package var stdout: String
  package var stderr: String
  /// Why it was ended before it finished; nil when it finished.
  package var ending: Ending?

  package init(status: Int32, stdout: String, stderr: String, ending: Ending? = nil) {
    self.status = status
    self.stdout = stdout
    self.stderr = stderr
    self.ending = ending
  }

  /// The launcher's (or the command's) own message, its last lines, for errors.
  package var errorSummary: String {
    let lines = stderr.lines().map { $0.trimmed() }.filter { !$0.isEmpty }
    if lines.isEmpty { return "exited with status \(status)" }
    return lines.suffix(3).joined(separator: " ")
  }
}
