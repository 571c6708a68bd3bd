internal import MPFCore
import MPFSystem

/// Runs a program of this machine to completion (rsync, git, tar, ssh, srun, `sh -c`), within
/// its `CommandLimits`.
package enum LocalProgram {
  /// Runs `arguments`, `input` (a file) as its standard input, else /dev/null, or with
  /// `limits.endsWithInput` a pipe held open until it ends: closing it (at its timeout, at a
  /// stop, or when mpf exits) tells it to end (`Deployer.buildCommand`). Output goes through files in
  /// `scratch`: a master connection that forks into the background (`ssh -f`) keeps pipes
  /// open, files it cannot hold up; of each, `limits.output` bytes are read back.
  ///
  /// - Throws: `SystemError` when it cannot start.
  package static func run(
    _ arguments: [String], input: String?, newProcessGroup: Bool, scratch: String = TemporaryDirectory.root,
    limits: CommandLimits = CommandLimits()
  ) throws -> CommandOutput {
    let base = "\(scratch)/mpf-cmd-\(ThisProcess.id)-\(UInt32.random(in: 0...UInt32.max))"
    defer {
      FileSystem.removeFile(base + ".out")
      FileSystem.removeFile(base + ".err")
    }
    let out = try FileDescriptor.open(base + ".out", .writeOnly, options: [.create, .truncate, .exclusive], permissions: 0o600)
    let err = try FileDescriptor.open(base + ".err", .writeOnly, options: [.create, .truncate, .exclusive], permissions: 0o600)
    let inFile = try input.map { try FileDescriptor.open($0, .readOnly) }
    let process = try Subprocess.spawn(
      arguments, stdin: inFile.map { .file($0) } ?? (limits.endsWithInput ? .pipe : .devNull), stdout: .file(out), stderr: .file(err), newProcessGroup: newProcessGroup)
    let (status, ending) = wait(for: process, newProcessGroup: newProcessGroup, limits: limits)
    return CommandOutput(
      status: status, stdout: bounded(base + ".out", limit: limits.output), stderr: bounded(base + ".err", limit: limits.output),
      ending: ending)
  }

  /// Waits for `process` to end, or ends it: at its timeout or its stop, its input pipe is
  /// closed, then after `grace` seconds it (its group, when it has its own) is killed.
  private static func wait(for process: Subprocess, newProcessGroup: Bool, limits: CommandLimits) -> (Int32, CommandOutput.Ending?) {
    var input = process.stdin
    func closeInput() {
      input?.close()
      input = nil
    }
    defer { closeInput() }
    if limits.timeout == nil && limits.stop == nil { return (Subprocess.wait(process.pid), nil) }
    let clock = limits.clock
    let deadline = limits.timeout.map { clock.now() + $0 }
    var pause = 0.001
    while true {
      if let status = Subprocess.poll(process.pid) { return (status, nil) }
      let ending: CommandOutput.Ending? =
        limits.stop?.isStopped == true ? .stopped : deadline.map { clock.now() >= $0 } == true ? .timedOut : nil
      if let ending {
        closeInput()
        return (end(process.pid, group: newProcessGroup, grace: limits.grace, clock: clock), ending)
      }
      clock.sleep(pause)
      pause = min(pause * 2, 0.05)
    }
  }

  /// Gives `pid` `grace` seconds to end on its own, then kills it (its group: `group`).
  private static func end(_ pid: Int32, group: Bool, grace: Double, clock: PollClock) -> Int32 {
    var status: Int32?
    if clock.wait(upTo: grace, every: 0.02, until: { status = Subprocess.poll(pid); return status != nil }), let status { return status }
    Signal.send(.kill, to: group ? -pid : pid)
    return Subprocess.wait(pid)
  }

  /// The file's text, or when it holds more than `limit` bytes its first and last `limit / 2`
  /// with a line saying how many bytes were cut between them.
  static func bounded(_ path: String, limit: Int) -> String {
    guard let file = try? FileDescriptor.open(path, .readOnly), let size = try? file.status().size else { return "" }
    if size <= limit { return String(decoding: (try? file.readAll()) ?? [], as: UTF8.self) }
    let half = limit / 2
    func read(at offset: Int) -> [UInt8] {
      var bytes = [UInt8](repeating: 0, count: half)
      let count = (try? file.read(into: &bytes, at: offset)) ?? 0
      return Array(bytes.prefix(count))
    }
    let cut = size - 2 * half
    return String(decoding: read(at: 0), as: UTF8.self) + "\n[... \(cut) bytes cut ...]\n" + String(decoding: read(at: size - half), as: UTF8.self)
  }
}
