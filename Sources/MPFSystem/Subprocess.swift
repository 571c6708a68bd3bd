#if canImport(Glibc)
  internal import Glibc
#endif
internal import CSystem

/// A child process started with `posix_spawn`, with optional pipes to its standard streams.
///
/// The child gets default signal dispositions (the parent may ignore SIGPIPE or SIGINT) and,
/// when asked, its own process group so that it and its children can be ended together.
package struct Subprocess {
  package enum Stream {
    case inherit
    case devNull
    case pipe
    /// This open file (kept open by the stream while the process starts).
    case file(FileDescriptor)
  }

  package let pid: Int32
  /// Our ends of the pipes that were asked for (nil for the other streams); the caller closes them.
  package let stdin: Descriptor?
  package let stdout: Descriptor?
  package let stderr: Descriptor?

  /// Starts `arguments[0]` (searched in PATH) with `arguments`.
  ///
  /// - Throws: `SystemError` when the process cannot be started.
  package static func spawn(
    _ arguments: [String], stdin: Stream = .devNull, stdout: Stream = .inherit, stderr: Stream = .inherit,
    newProcessGroup: Bool = false, environment: [String]? = nil
  ) throws -> Subprocess {
    var attributes = posix_spawnattr_t()
    try spawnCall { posix_spawnattr_init(&attributes) }
    defer { posix_spawnattr_destroy(&attributes) }
    var flags = Int32(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK)
    if newProcessGroup {
      flags |= Int32(POSIX_SPAWN_SETPGROUP)
      try spawnCall { posix_spawnattr_setpgroup(&attributes, 0) }
    }
    var all = sigset_t()
    sigfillset(&all)
    var none = sigset_t()
    sigemptyset(&none)
    try spawnCall { posix_spawnattr_setflags(&attributes, Int16(flags)) }
    try spawnCall { posix_spawnattr_setsigdefault(&attributes, &all) }
    try spawnCall { posix_spawnattr_setsigmask(&attributes, &none) }
    var actions = posix_spawn_file_actions_t()
    try spawnCall { posix_spawn_file_actions_init(&actions) }
    defer { posix_spawn_file_actions_destroy(&actions) }
    var ours: [Descriptor?] = [nil, nil, nil]
    var theirs: [Descriptor] = []
    defer { theirs.forEach { $0.close() } }
    do {
      for (target, stream) in [(Int32(0), stdin), (1, stdout), (2, stderr)] {
        switch stream {
        case .inherit: break
        case .devNull:
          try spawnCall { posix_spawn_file_actions_addopen(&actions, target, "/dev/null", target == 0 ? O_RDONLY : O_WRONLY, 0) }
        case .file(let file): try spawnCall { posix_spawn_file_actions_adddup2(&actions, file.descriptor.raw, target) }
        case .pipe:
          let ends = try Descriptor.pipe()
          let (child, parent) = target == 0 ? (ends.read, ends.write) : (ends.write, ends.read)
          theirs.append(child)
          ours[Int(target)] = parent
          try spawnCall { posix_spawn_file_actions_adddup2(&actions, child.raw, target) }
        }
      }
    } catch {
      ours.forEach { $0?.close() }
      throw error
    }

    let argv = arguments.map { strdup($0) } + [nil]
    defer { argv.forEach { free($0) } }
    let envp = environment.map { $0.map { strdup($0) } + [nil] }
    defer { envp?.forEach { free($0) } }
    var pid: Int32 = 0
    let status = argv.withUnsafeBufferPointer { args -> Int32 in
      guard let argvBase = args.baseAddress else { return EINVAL }
      guard let envp else { return posix_spawnp(&pid, arguments[0], &actions, &attributes, argvBase, environ) }
      return envp.withUnsafeBufferPointer { env in
        posix_spawnp(&pid, arguments[0], &actions, &attributes, argvBase, env.baseAddress ?? UnsafePointer(environ))
      }
    }
    guard status == 0 else {
      ours.forEach { $0?.close() }
      throw SystemError("start", path: arguments[0], code: Errno(rawValue: status))
    }
    return Subprocess(pid: pid, stdin: ours[0], stdout: ours[1], stderr: ours[2])
  }

  /// Runs `arguments` to completion: its exit code and standard output (its errors are dropped).
  ///
  /// - Throws: `SystemError` when it cannot be started.
  package static func output(_ arguments: [String]) throws -> (status: Int32, stdout: String) {
    let process = try spawn(arguments, stdout: .pipe, stderr: .devNull)
    let bytes = (try? process.stdout?.readAll()) ?? []
    process.stdout?.close()
    return (wait(process.pid), String(decoding: bytes, as: UTF8.self))
  }

  /// Waits for the process and returns its exit code (128+signal when killed); -1 when it is
  /// not a child of this process (or was waited for already).
  package static func wait(_ pid: Int32) -> Int32 {
    var status: Int32 = 0
    guard case .success = valueOrErrno({ waitpid(pid, &status, 0) }) else { return -1 }
    return csystem_exit_code(status)
  }

  /// The exit code if the process has ended, nil if it still runs; -1 when it is not a child
  /// of this process (or was waited for already).
  package static func poll(_ pid: Int32) -> Int32? {
    var status: Int32 = 0
    switch valueOrErrno({ waitpid(pid, &status, WNOHANG) }) {
    case .success(let result) where result == pid: return csystem_exit_code(status)
    case .success: return nil
    case .failure: return -1
    }
  }

  /// Collects the status of `pid` when it is a child of this process that has ended: its exit
  /// code, else nil (still running, or not ours). Only this pid: a `waitpid(-1)` would steal
  /// statuses that others wait for.
  package static func reap(_ pid: Int32) -> Int32? {
    guard let code = poll(pid), code != -1 else { return nil }
    return code
  }

  /// A `posix_spawn_*` call, which returns its error instead of setting errno.
  private static func spawnCall(_ body: () -> Int32) throws {
    let status = body()
    if status != 0 { throw SystemError("prepare a process", code: Errno(rawValue: status)) }
  }
}
