import Synchronization
package import MPFCore

/// Starts each role's worker: a local `mpf worker` process, over ssh on its machine, or as a
/// step of the Slurm job mpf runs in (`srun --overlap`, when the cluster is a Slurm pool).
///
/// Over ssh it uses the system OpenSSH client, so the user's configuration (keys, agent,
/// ProxyJump, known hosts, per-host options) applies unchanged; mpf adds only connection
/// multiplexing (one ControlMaster per machine, shared by its roles), BatchMode (never a
/// prompt) and a connect timeout. It never touches host key checking.
///
/// Before the first worker on a machine starts, the connector makes sure that this exact
/// build of mpf is in the node's `~/.cache/mpf/` (named by its content hash), copying it only
/// when missing, through a temporary file renamed into place: two experiments starting at
/// once never run a half-copied binary.
package final class WorkerConnector: Sendable {
  package let cluster: Cluster
  private let identity: BinaryIdentity?
  private let controlDirectory: String
  /// Per machine: the deployment (master connection + binary in place), done once; its value
  /// is the binary's path there, as a shell word.
  private let deployments = Mutex<[Machine: Task<String, any Error>]>([:])
  /// Through srun: one probe of all nodes at once (`probeAllThroughSrun`).
  private let batchProbe = Mutex<Task<[String: [String]], any Error>?>(nil)

  /// - Throws: `SystemError` when this executable cannot be read.
  package init(cluster: Cluster) throws {
    self.cluster = cluster
    // Only machines reached over ssh need the build's identity.
    identity = cluster.machines.allSatisfy(\.isLocal) ? nil : try BinaryIdentity.current()
    // Only ssh needs a folder for its master connections' sockets.
    controlDirectory = identity == nil ? "" : try TemporaryDirectory.make("mpf-ssh")
  }

  /// The channel to `assignment`'s worker, deploying mpf to its machine first if needed.
  ///
  /// - Throws: `TransportError` naming the machine and what ssh said.
  package func connect(_ assignment: RoleAssignment) async throws -> any Channel {
    let placement = placementPrefix(assignment)
    guard let identity, !assignment.machine.isLocal else {
      return try ProcessChannel(name: assignment.role, arguments: placement + [FileSystem.currentExecutable(), "worker"])
    }
    let binary = try await deploy(to: assignment.machine, identity)
    let command = (placement + [binary, "worker"]).joined(separator: " ")
    let name = "\(assignment.name) on \(assignment.machine.displayName)"
    if case .srun = cluster.launcher {
      return try ProcessChannel(name: name, arguments: srun(assignment.machine, command: "exec " + command))
    }
    return try ProcessChannel(name: name, arguments: ssh(assignment.machine, ["-T", "-o", "ControlMaster=no"], command: command))
  }

  /// A new channel after a connection was lost: the machine's master connection and binary
  /// check are made again.
  package func reconnect(_ assignment: RoleAssignment) async throws -> any Channel {
    let machine = assignment.machine
    if !machine.isLocal {
      _ = deployments.withLock { $0.removeValue(forKey: machine) }
      if case .ssh = cluster.launcher, let exit = try? Subprocess.spawn(ssh(machine, ["-O", "exit"], command: nil), stdout: .devNull, stderr: .devNull) {
        _ = try await onThread { Subprocess.wait(exit.pid) }
      }
    }
    return try await connect(assignment)
  }

  /// What a command run on a machine printed, and its exit status.
  package struct CommandOutput: Sendable {
    package var status: Int32
    package var stdout: String
    package var stderr: String
  }

  /// Runs `command` with `sh -c` on `machine` (through its master connection, opened first if
  /// needed; locally for a local machine), `input` as its standard input.
  ///
  /// - Throws: `TransportError` when ssh cannot reach the machine.
  package func execute(_ command: String, on machine: Machine, input: String? = nil) async throws -> CommandOutput {
    if let identity, !machine.isLocal {
      _ = try await deploy(to: machine, identity)
      let result = try await onThread { [self] in try self.runRemote(machine, command: command, input: input) }
      if let failure = transportFailure(result) { throw TransportError(node: machine.displayName, failure) }
      return CommandOutput(status: result.status, stdout: result.stdout, stderr: result.stderr)
    }
    let result = try await onThread { [self] in try self.runLocal(["sh", "-c", command], input: input) }
    return CommandOutput(status: result.status, stdout: result.stdout, stderr: result.stderr)
  }

  /// Runs a program of this machine (rsync, git, tar) to completion.
  package func executeHere(_ arguments: [String], input: String? = nil) async throws -> CommandOutput {
    let result = try await onThread { [self] in try self.runLocal(arguments, input: input) }
    return CommandOutput(status: result.status, stdout: result.stdout, stderr: result.stderr)
  }

  /// The remote shell rsync uses to reach `machine` (`rsync -e`): ssh with the same options
  /// and master connection as the workers', each word quoted; nil for a local machine.
  package func remoteShell(for machine: Machine) -> String? {
    guard identity != nil, !machine.isLocal, case .ssh = cluster.launcher else { return nil }
    var words = ssh(machine, ["-o", "ControlMaster=no"], command: nil)
    words.removeLast(2)  // `--` and the host: rsync adds the host itself
    return words.map(ShellQuote.quote).joined(separator: " ")
  }

  /// Closes every master connection and removes their sockets' folder.
  package func close() {
    let machines = deployments.withLock { Array($0.keys) }.filter { _ in cluster.launcher == .ssh }
    let exits = machines.compactMap { machine in
      try? Subprocess.spawn(ssh(machine, ["-O", "exit"], command: nil), stdout: .devNull, stderr: .devNull)
    }
    for process in exits { _ = Subprocess.wait(process.pid) }
    if !controlDirectory.isEmpty { try? FileSystem.removeDirectory(controlDirectory) }
  }

  /// `ip netns exec NS` and `taskset -c CPU` for a role that the cluster places so.
  private func placementPrefix(_ assignment: RoleAssignment) -> [String] {
    var prefix: [String] = []
    if let namespace = assignment.namespace { prefix += ["ip", "netns", "exec", assignment.machine.isLocal ? namespace : ShellQuote.quote(namespace)] }
    if let cpu = assignment.cpu { prefix += ["taskset", "-c", String(cpu)] }
    return prefix
  }

  /// Makes sure this build is on `machine` (once per machine); returns its path there, as a shell word.
  private func deploy(to machine: Machine, _ identity: BinaryIdentity) async throws -> String {
    let task = deployments.withLock { tasks -> Task<String, any Error> in
      if let existing = tasks[machine] { return existing }
      let task = Task { try await self.prepare(machine, identity) }
      tasks[machine] = task
      return task
    }
    return try await task.value
  }

  /// Opens the master connection (ssh), checks the architecture, and copies mpf when missing.
  /// Through srun, a node that sees this very file (a shared filesystem: same path, size and
  /// time) runs it where it is.
  private func prepare(_ machine: Machine, _ identity: BinaryIdentity) async throws -> String {
    let name = machine.displayName
    let cached = "\"$HOME/.cache/mpf/mpf-\(identity.hash)\""
    let here = ShellQuote.quote(identity.path)
    let srun = cluster.launcher != .ssh
    let shared = srun
      ? "elif [ \"$(stat -c '%s %Y' \(here) 2>/dev/null)\" = '\(identity.size) \(identity.modified)' ]; then echo shared; "
      : ""
    let check = "uname -m; if [ -x \(cached) ]; then echo present; \(shared)else echo missing; fi"
    var answer: [String]
    if srun, let batch = try? await probeAllThroughSrun(check), let known = batch[machine.hostname] {
      answer = known
    } else {
      // Over ssh the first connection becomes the master (kept 60 s after its last use) and runs the probe.
      let probe = try await onThread { [self] in try self.runRemote(machine, command: check, master: true) }
      if srun, let failure = transportFailure(probe) { throw TransportError(node: name, failure) }
      if !srun, probe.status == 255 { throw TransportError(node: name, "cannot connect with ssh: \(probe.errorSummary)") }
      answer = probe.stdout.lines()
      guard probe.status == 0, answer.count == 2 else {
        throw TransportError(node: name, "cannot run commands with \(srun ? "srun" : "ssh"): \(probe.errorSummary)")
      }
    }
    guard answer[0] == identity.architecture else {
      throw TransportError(
        node: name,
        "the machine is \(answer[0]) but this mpf is built for \(identity.architecture): build mpf on (or for) \(answer[0]) and run that one")
    }
    if answer[1] == "shared" { return here }
    guard answer[1] == "missing" else { return cached }
    let copy = """
      set -e; d="$HOME/.cache/mpf"; mkdir -p "$d"; t="$d/.mpf-\(identity.hash).$$"; trap 'rm -f "$t"' EXIT; \
      cat > "$t"; n=$(wc -c < "$t"); if [ "$n" -ne \(identity.size) ]; then echo "copied $n of \(identity.size) bytes" >&2; exit 1; fi; \
      chmod 755 "$t"; mv -f "$t" "$d/mpf-\(identity.hash)"; trap - EXIT
      """
    let shipped = try await onThread { [self] in try self.runRemote(machine, command: copy, input: identity.path) }
    guard shipped.status == 0 else { throw TransportError(node: name, "cannot copy mpf to ~/.cache/mpf: \(shipped.errorSummary)") }
    return cached
  }

  /// The probe of every worker's node in one srun step of one task per node (32 srun
  /// processes at once cost this machine more than the workers' start): node → its answer's
  /// lines. Made once; a node missing from it (a spare, a failure) is probed on its own.
  private func probeAllThroughSrun(_ check: String) async throws -> [String: [String]] {
    let task = batchProbe.withLock { current -> Task<[String: [String]], any Error> in
      if let current { return current }
      let task = Task { try await self.runBatchProbe(check) }
      current = task
      return task
    }
    return try await task.value
  }

  private func runBatchProbe(_ check: String) async throws -> [String: [String]] {
    guard case .srun(let job) = cluster.launcher else { return [:] }
    let nodes = cluster.workers.map(\.machine.hostname).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
    guard nodes.count > 1 else { return [:] }
    let arguments = [
      "srun", "--jobid=\(job)", "--overlap", "--nodes=\(nodes.count)", "--ntasks=\(nodes.count)", "--ntasks-per-node=1",
      "--nodelist=\(nodes.joined(separator: ","))", "--quiet", "--chdir=/", "sh", "-c",
      "a=$( { \(check); } | tr '\\n' ' '); echo \"$SLURMD_NODENAME $a\"",
    ]
    let result = try await onThread { [self] in try self.runToFiles(arguments, input: nil, newProcessGroup: false) }
    var answers: [String: [String]] = [:]
    for line in result.stdout.lines() {
      let words = line.split(separator: " ").map(String.init)
      if words.count == 3 { answers[words[0]] = [words[1], words[2]] }
    }
    return answers
  }

  /// `srun` running `command` with `sh -c` on `machine`, as a step of the job that shares the
  /// node with the others (`--overlap`), its streams passed as they come (`--unbuffered`).
  private func srun(_ machine: Machine, command: String) -> [String] {
    guard case .srun(let job) = cluster.launcher else { return [] }
    return [
      "srun", "--jobid=\(job)", "--overlap", "--nodes=1", "--ntasks=1", "--nodelist=\(machine.hostname)", "--unbuffered", "--quiet",
      "--chdir=/", "sh", "-c", command,
    ]
  }

  /// What went wrong in the transport itself (ssh or srun could not reach the node), nil when
  /// the command ran.
  private func transportFailure(_ result: SSHResult) -> String? {
    switch cluster.launcher {
    case .ssh:
      return result.status == 255 && result.stderr.contains("ssh:") ? "ssh failed: \(result.errorSummary)" : nil
    case .srun:
      return result.stderr.contains("srun: error") ? "srun failed: \(result.errorSummary)" : nil
    }
  }

  /// Runs `command` with `sh -c` on `machine` through ssh (its master connection, or making it)
  /// or srun, to completion.
  private func runRemote(_ machine: Machine, command: String, input: String? = nil, master: Bool = false) throws -> SSHResult {
    if case .srun = cluster.launcher {
      return try runToFiles(srun(machine, command: command), input: input, newProcessGroup: false)
    }
    let options = master ? ["-o", "ControlMaster=yes", "-o", "ControlPersist=60"] : ["-o", "ControlMaster=no"]
    return try runSSH(machine, options, command: command, input: input)
  }

  private func ssh(_ machine: Machine, _ options: [String], command: String?) -> [String] {
    SSHCommand(configFile: cluster.sshConfig, connectTimeout: cluster.connectTimeout, controlDirectory: controlDirectory)
      .arguments(machine, options, command: command)
  }

  private struct SSHResult {
    var status: Int32
    var stdout: String
    var stderr: String

    /// ssh's (or srun's) own message (its last lines), for errors.
    var errorSummary: String {
      let lines = stderr.lines().map { $0.trimmed() }.filter { !$0.isEmpty }
      if lines.isEmpty { return "exited with status \(status)" }
      return lines.suffix(3).joined(separator: " ")
    }
  }

  /// Runs a program of this machine to completion (rsync, git, tar, `sh -c` for a local machine).
  private func runLocal(_ arguments: [String], input: String?) throws -> SSHResult {
    try runToFiles(arguments, input: input, newProcessGroup: true)
  }

  /// Runs ssh to completion.
  private func runSSH(_ machine: Machine, _ options: [String], command: String?, input: String? = nil) throws -> SSHResult {
    try runToFiles(ssh(machine, options, command: command), input: input, newProcessGroup: false)
  }

  /// Runs `arguments` to completion, `input` (a file) as its standard input. Output goes
  /// through files: a master connection that forks into the background (`-f`) keeps pipes
  /// open, files it cannot hold up.
  private func runToFiles(_ arguments: [String], input: String?, newProcessGroup: Bool) throws -> SSHResult {
    let folder = controlDirectory.isEmpty ? TemporaryDirectory.root : controlDirectory
    let base = "\(folder)/mpf-cmd-\(ThisProcess.id)-\(UInt32.random(in: 0...UInt32.max))"
    defer {
      FileSystem.removeFile(base + ".out")
      FileSystem.removeFile(base + ".err")
    }
    let out = try FileDescriptor.open(base + ".out", .writeOnly, options: [.create, .truncate], permissions: 0o600)
    let err = try FileDescriptor.open(base + ".err", .writeOnly, options: [.create, .truncate], permissions: 0o600)
    let inFile = try input.map { try FileDescriptor.open($0, .readOnly) }
    let process = try Subprocess.spawn(
      arguments, stdin: inFile.map { .file($0) } ?? .devNull, stdout: .file(out), stderr: .file(err),
      newProcessGroup: newProcessGroup)
    let status = Subprocess.wait(process.pid)
    return SSHResult(
      status: status, stdout: (try? FileSystem.readString(base + ".out")) ?? "", stderr: (try? FileSystem.readString(base + ".err")) ?? "")
  }
}
