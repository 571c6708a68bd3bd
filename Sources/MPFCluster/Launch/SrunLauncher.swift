import Synchronization
package import MPFCore
package import MPFSystem
package import MPFText

/// Workers and commands as steps of the Slurm job mpf runs in (`srun --overlap`, sharing the
/// nodes with the job's other steps): no ssh at all. Nodes usually share the home folder.
package final class SrunLauncher: WorkerLauncher {
  package var name: String { "srun" }
  package var copiesBinary: Bool { true }
  package var sharesFiles: Bool { true }

  private let job: String
  /// Where the output of commands goes before it is read.
  private let scratch: String
  /// One probe of all nodes at once (`probeAll`), made once.
  private let batchProbe = Mutex<Task<[String: [String]], any Error>?>(nil)

  /// - Throws: `SystemError` when its scratch folder cannot be made.
  package init(job: String) throws {
    self.job = job
    scratch = try TemporaryDirectory.make("mpf-srun")
  }

  package func startWorker(_ assignment: RoleAssignment, placement: [String], binary: String) throws -> any Channel {
    let line = (placement.map(ShellQuote.quote) + [binary, "worker"]).joined(separator: " ")
    let name = "\(assignment.name) on \(assignment.machine.displayName)"
    return try ProcessChannel(name: name, arguments: srun(assignment.machine, command: "exec " + line))
  }

  package func run(_ command: String, on machine: Machine, input: String?, opening: Bool, limits: CommandLimits) throws -> CommandOutput {
    try LocalProgram.run(srun(machine, command: command), input: input, newProcessGroup: false, scratch: scratch, limits: limits)
  }

  package func transportFailure(_ output: CommandOutput, opening: Bool) -> String? {
    output.stderr.contains("srun: error") ? "srun failed: \(output.errorSummary)" : nil
  }

  /// rsync needs a remote shell: through srun, files go as a tar stream.
  package func rsyncDestination(_ folder: String, on machine: Machine) throws -> (options: [String], target: String)? { nil }

  /// The probe of every node in one srun step of one task per node (32 srun processes at once
  /// cost this machine more than the workers' start). Made once; a node missing from it (a
  /// spare, a failure) is probed on its own.
  package func probeAll(_ check: String, machines: [Machine]) async throws -> [String: [String]]? {
    let task = batchProbe.withLock { current -> Task<[String: [String]], any Error> in
      if let current { return current }
      let task = Task { try await self.runBatchProbe(check, machines: machines) }
      current = task
      return task
    }
    return try await task.value
  }

  package func close() { FileSystem.removeTree(scratch) }

  private func runBatchProbe(_ check: String, machines: [Machine]) async throws -> [String: [String]] {
    let nodes = machines.map(\.hostname).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
    guard nodes.count > 1 else { return [:] }
    let arguments = [
      "srun", "--jobid=\(job)", "--overlap", "--nodes=\(nodes.count)", "--ntasks=\(nodes.count)", "--ntasks-per-node=1",
      "--nodelist=\(nodes.joined(separator: ","))", "--quiet", "--chdir=/", "sh", "-c",
      "a=$( { \(check); } | tr '\\n' ' '); echo \"$SLURMD_NODENAME $a\"",
    ]
    let result = try await onThread { [scratch] in try LocalProgram.run(arguments, input: nil, newProcessGroup: false, scratch: scratch) }
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
    [
      "srun", "--jobid=\(job)", "--overlap", "--nodes=1", "--ntasks=1", "--nodelist=\(machine.hostname)", "--unbuffered", "--quiet",
      "--chdir=/", "sh", "-c", command,
    ]
  }
}
