internal import MPFCore

/// Runs a program of this machine to completion (rsync, git, tar, ssh, srun, `sh -c`).
enum LocalProgram {
  /// Runs `arguments`, `input` (a file) as its standard input. Output goes through files in
  /// `scratch`: a master connection that forks into the background (`ssh -f`) keeps pipes
  /// open, files it cannot hold up.
  ///
  /// - Throws: `SystemError` when it cannot start.
  static func run(_ arguments: [String], input: String?, newProcessGroup: Bool, scratch: String = TemporaryDirectory.root) throws
    -> CommandOutput
  {
    let base = "\(scratch)/mpf-cmd-\(ThisProcess.id)-\(UInt32.random(in: 0...UInt32.max))"
    defer {
      FileSystem.removeFile(base + ".out")
      FileSystem.removeFile(base + ".err")
    }
    let out = try FileDescriptor.open(base + ".out", .writeOnly, options: [.create, .truncate, .exclusive], permissions: 0o600)
    let err = try FileDescriptor.open(base + ".err", .writeOnly, options: [.create, .truncate, .exclusive], permissions: 0o600)
    let inFile = try input.map { try FileDescriptor.open($0, .readOnly) }
    let process = try Subprocess.spawn(
      arguments, stdin: inFile.map { .file($0) } ?? .devNull, stdout: .file(out), stderr: .file(err), newProcessGroup: newProcessGroup)
    let status = Subprocess.wait(process.pid)
    return CommandOutput(
      status: status, stdout: (try? FileSystem.readString(base + ".out")) ?? "", stderr: (try? FileSystem.readString(base + ".err")) ?? "")
  }
}
