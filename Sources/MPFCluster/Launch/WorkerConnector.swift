import Synchronization
package import MPFCore
package import MPFSystem
package import MPFText

/// Starts each role's worker through its machine's `WorkerLauncher`: a local `mpf worker`
/// process, over ssh on its machine, or as a step of the Slurm job mpf runs in (`srun
/// --overlap`, when the cluster is a Slurm pool).
///
/// Before the first worker on a machine starts, the connector makes sure that this exact
/// build of mpf is in the node's `~/.cache/mpf/` (named by its content hash), copying it only
/// when missing, through a temporary file renamed into place: two experiments starting at
/// once never run a half-copied binary.
package final class WorkerConnector: Sendable {
  package let cluster: Cluster
  private let identity: BinaryIdentity?
  private let local = LocalLauncher()
  /// The launcher of every machine that is not this one.
  private let remote: any WorkerLauncher
  /// Per machine: the deployment (connection + binary in place), done once; its value is the
  /// binary's path there, as a shell word.
  private let deployments = Mutex<[Machine: Task<String, any Error>]>([:])
  /// Ends every command `execute` and `executeHere` run (`endCommands`).
  private let commands = CommandStop()

  /// - Throws: `SystemError` when this executable cannot be read.
  package init(cluster: Cluster) throws {
    self.cluster = cluster
    // Only machines reached from here need the build's identity and a launcher of their kind.
    let remoteOnly = !cluster.machines.allSatisfy(\.isLocal)
    identity = remoteOnly ? try BinaryIdentity.current() : nil
    remote = remoteOnly ? try MPFCluster.launcher(for: cluster) : local
  }

  /// How `machine` is reached.
  package func launcher(for machine: Machine) -> any WorkerLauncher {
    machine.isLocal ? local : remote
  }

  /// The channel to `assignment`'s worker, deploying mpf to its machine first if needed.
  ///
  /// - Throws: `TransportError` naming the machine and what ssh (or srun) said.
  package func connect(_ assignment: RoleAssignment) async throws -> any Channel {
    let launcher = launcher(for: assignment.machine)
    var binary = FileSystem.currentExecutable()
    if let identity, launcher.copiesBinary { binary = try await deploy(to: assignment.machine, identity) }
    return try launcher.startWorker(assignment, placement: placement(assignment), binary: binary)
  }

  /// A new channel after a connection was lost: the machine's connection and binary check are
  /// made again.
  package func reconnect(_ assignment: RoleAssignment) async throws -> any Channel {
    let machine = assignment.machine
    let launcher = launcher(for: machine)
    if launcher.copiesBinary {
      _ = deployments.withLock { $0.removeValue(forKey: machine) }
      _ = try await onThread { launcher.disconnect(machine) }
    }
    return try await connect(assignment)
  }

  /// Runs `command` with `sh -c` on `machine` (through its connection, opened first if
  /// needed; locally for a local machine), `input` (a file of this machine) as its standard
  /// input, within `limits`.
  ///
  /// `endMarker`: the start of a line the command prints last (a build step's): when its
  /// output has it, the command ran to its end, and an exit status that looks like the
  /// launcher's failing (ssh's 255) is the command's own.
  ///
  /// - Throws: `TransportError` when the machine cannot be reached; `CommandStopped` when
  ///   `endCommands` ended it.
  package func execute(
    _ command: String, on machine: Machine, input: String? = nil, limits: CommandLimits = CommandLimits(), endMarker: String? = nil
  ) async throws -> CommandOutput {
    let launcher = launcher(for: machine)
    if let identity, launcher.copiesBinary { _ = try await deploy(to: machine, identity) }
    var limits = limits
    limits.stop = commands
    let result = try await onThread { [limits] in try launcher.run(command, on: machine, input: input, opening: false, limits: limits) }
    if result.ending == .stopped { throw CommandStopped() }
    if let endMarker, result.stdout.contains(endMarker) { return result }
    if let failure = launcher.transportFailure(result, opening: false) { throw TransportError(node: machine.displayName, failure) }
    return result
  }

  /// Runs a program of this machine (rsync, git, tar) to completion.
  ///
  /// - Throws: `CommandStopped` when `endCommands` ended it.
  package func executeHere(_ arguments: [String], input: String? = nil) async throws -> CommandOutput {
    let result = try await onThread { [commands] in
      try LocalProgram.run(arguments, input: input, newProcessGroup: true, limits: CommandLimits(stop: commands))
    }
    if result.ending == .stopped { throw CommandStopped() }
    return result
  }

  /// Ends the commands `execute` and `executeHere` run now, and those they start after (mpf
  /// was told to stop): each is ended, with what it started where it ran (`CommandLimits`).
  package func endCommands() {
    commands.stop()
  }

  /// Closes every connection and removes what they kept here.
  package func close() {
    remote.close()
  }

  /// `ip netns exec NS` and `taskset -c CPU` for a role that the cluster places so.
  private func placement(_ assignment: RoleAssignment) -> [String] {
    var prefix: [String] = []
    if let namespace = assignment.namespace { prefix += ["ip", "netns", "exec", namespace] }
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

  /// Opens the connection (ssh's master), checks the architecture, and copies mpf when its
  /// cached copy is missing or is not this build (its size, and the build id it says it is: a
  /// copy replaced or cut is shipped again). Where nodes share files (srun), a node that sees
  /// this very file (same path, size and time) runs it where it is.
  private func prepare(_ machine: Machine, _ identity: BinaryIdentity) async throws -> String {
    let launcher = launcher(for: machine)
    let name = machine.displayName
    // The node's cache: $XDG_CACHE_HOME/mpf where the node sets it, else ~/.cache/mpf.
    let cached = "\"${XDG_CACHE_HOME:-$HOME/.cache}/mpf/mpf-\(identity.hash)\""
    let here = ShellQuote.quote(identity.path)
    let shared = launcher.sharesFiles
      ? "elif [ \"$(stat -c '%s %Y' \(here) 2>/dev/null)\" = '\(identity.size) \(identity.modified)' ]; then echo shared; "
      : ""
    let check = """
      uname -m; if [ -x \(cached) ] && [ "$(wc -c < \(cached))" -eq \(identity.size) ] \
      && [ "$(\(cached) worker --build-id 2>/dev/null)" = '\(identity.hash)' ]; then echo present; \(shared)else echo missing; fi
      """
    var answer: [String]
    let machines = cluster.workers.map(\.machine)
    if let batch = try? await launcher.probeAll(check, machines: machines), let known = batch[machine.hostname] {
      answer = known
    } else {
      // The first command on the machine opens its connection (ssh's master) and runs the probe.
      let probe = try await onThread { try launcher.run(check, on: machine, input: nil, opening: true) }
      if let failure = launcher.transportFailure(probe, opening: true) { throw TransportError(node: name, failure) }
      answer = probe.stdout.lines()
      guard probe.status == 0, answer.count == 2 else {
        throw TransportError(node: name, "cannot run commands with \(launcher.name): \(probe.errorSummary)")
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
      set -e; d="${XDG_CACHE_HOME:-$HOME/.cache}/mpf"; mkdir -p "$d"; t="$d/.mpf-\(identity.hash).$$"; trap 'rm -f "$t"' EXIT; \
      cat > "$t"; n=$(wc -c < "$t"); if [ "$n" -ne \(identity.size) ]; then echo "copied $n of \(identity.size) bytes" >&2; exit 1; fi; \
      chmod 755 "$t"; mv -f "$t" "$d/mpf-\(identity.hash)"; trap - EXIT; \
      a=$("$d/mpf-\(identity.hash)" worker --build-id 2>&1 | head -c 300); \
      if [ "$a" != '\(identity.hash)' ]; then echo "the copy in $d does not run there (it said: $a)" >&2; exit 1; fi
      """
    let shipped = try await onThread { try launcher.run(copy, on: machine, input: identity.path, opening: false) }
    guard shipped.status == 0 else { throw TransportError(node: name, "cannot copy mpf to the node's cache ($XDG_CACHE_HOME/mpf, else ~/.cache/mpf): \(shipped.errorSummary)") }
    return cached
  }
}
