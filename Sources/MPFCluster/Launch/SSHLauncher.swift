import Synchronization
package import MPFCore
package import MPFSystem
package import MPFText

/// Workers and commands over ssh, with the system OpenSSH client: the user's configuration
/// (keys, agent, ProxyJump, known hosts, per-host options) applies unchanged; mpf adds only
/// connection multiplexing (one ControlMaster per machine, shared by its roles, kept 60 s
/// after its last use), BatchMode (never a prompt) and a connect timeout (`SSHCommand`).
package final class SSHLauncher: WorkerLauncher {
  package var name: String { "ssh" }
  package var copiesBinary: Bool { true }
  package var sharesFiles: Bool { false }

  private let command: SSHCommand
  /// The machines whose master connection was opened (closed by `close`).
  private let opened = Mutex<Set<Machine>>([])

  /// - Throws: `SystemError` when the folder of the master connections' sockets cannot be made.
  package init(configFile: String?, connectTimeout: Int) throws {
    command = SSHCommand(configFile: configFile, connectTimeout: connectTimeout, controlDirectory: try TemporaryDirectory.make("mpf-ssh"))
  }

  package func startWorker(_ assignment: RoleAssignment, placement: [String], binary: String) throws -> any Channel {
    let line = (placement.map(ShellQuote.quote) + [binary, "worker"]).joined(separator: " ")
    let name = "\(assignment.name) on \(assignment.machine.displayName)"
    return try ProcessChannel(name: name, arguments: command.arguments(assignment.machine, ["-T", "-o", "ControlMaster=no"], command: line))
  }

  package func run(_ line: String, on machine: Machine, input: String?, opening: Bool, limits: CommandLimits) throws -> CommandOutput {
    if opening { _ = opened.withLock { $0.insert(machine) } }
    let options = opening ? ["-o", "ControlMaster=yes", "-o", "ControlPersist=60"] : ["-o", "ControlMaster=no"]
    // Output through files: a master connection that forks into the background keeps pipes open.
    return try LocalProgram.run(
      command.arguments(machine, options, command: line), input: input, newProcessGroup: false, scratch: command.controlDirectory, limits: limits)
  }

  /// ssh exits with 255 when it failed itself; a command's own 255 is told apart by ssh's
  /// `ssh:` messages (the first command has none to run: 255 is ssh's).
  package func transportFailure(_ output: CommandOutput, opening: Bool) -> String? {
    guard output.status == 255 else { return nil }
    if opening { return "cannot connect with ssh: \(output.errorSummary)" }
    return output.stderr.contains("ssh:") ? "ssh failed: \(output.errorSummary)" : nil
  }

  /// rsync through ssh with the same options and master connection (`rsync -e`), the folder
  /// made by the remote side first (`--rsync-path`).
  package func rsyncDestination(_ folder: String, on machine: Machine) throws -> (options: [String], target: String)? {
    var words = command.arguments(machine, ["-o", "ControlMaster=no"], command: nil)
    words.removeLast(2)  // `--` and the host: rsync adds the host itself
    let shell = words.map(ShellQuote.quote).joined(separator: " ")
    return (["-e", shell, "--rsync-path", "mkdir -p \(ShellQuote.quote(folder)) && rsync"], machine.hostname + ":" + folder + "/")
  }

  package func disconnect(_ machine: Machine) {
    _ = opened.withLock { $0.remove(machine) }
    exitMasters([machine])
  }

  /// Closes every master connection and removes their sockets' folder.
  package func close() {
    exitMasters(opened.withLock { opened in
      defer { opened.removeAll() }
      return Array(opened)
    })
    FileSystem.removeTree(command.controlDirectory)
  }

  private func exitMasters(_ machines: [Machine]) {
    let exits = machines.compactMap { machine in
      try? Subprocess.spawn(command.arguments(machine, ["-O", "exit"], command: nil), stdout: .devNull, stderr: .devNull)
    }
    for process in exits { _ = Subprocess.wait(process.pid) }
  }
}
