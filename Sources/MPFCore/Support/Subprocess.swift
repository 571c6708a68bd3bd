#if canImport(Glibc)
  internal import Glibc
#endif
package import CSystem

/// A child process started with `posix_spawn`, with optional pipes to its standard streams.
///
/// The child gets default signal dispositions (the parent may ignore SIGPIPE or SIGINT) and,
/// when asked, its own process group so that it and its children can be ended together.
package struct Subprocess {
  package enum Stream {
    case inherit
    case devNull
    case pipe
    /// Write to this already-open file descriptor.
    case file(Int32)
  }

  package let pid: pid_t
  /// Our ends of the pipes that were asked for (-1 otherwise).
  package let stdin: Int32
  package let stdout: Int32
  package let stderr: Int32

  /// Starts `arguments[0]` (searched in PATH) with `arguments`.
  ///
  /// - Throws: `SystemError` when the process cannot be started.
  package static func spawn(
    _ arguments: [String], stdin: Stream = .devNull, stdout: Stream = .inherit, stderr: Stream = .inherit,
    newProcessGroup: Bool = false, environment: [String]? = nil
  ) throws -> Subprocess {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    var ours: [Int32] = [-1, -1, -1]
    var theirs: [Int32] = []
    defer { theirs.forEach { close($0) } }
    for (target, stream) in [(Int32(0), stdin), (1, stdout), (2, stderr)] {
      switch stream {
      case .inherit: break
      case .devNull: posix_spawn_file_actions_addopen(&actions, target, "/dev/null", target == 0 ? O_RDONLY : O_WRONLY, 0)
      case .file(let fd): posix_spawn_file_actions_adddup2(&actions, fd, target)
      case .pipe:
        var fds: [Int32] = [-1, -1]
        try syscall("create a pipe") { csystem_pipe_cloexec(&fds) }
        let (child, parent) = target == 0 ? (fds[0], fds[1]) : (fds[1], fds[0])
        posix_spawn_file_actions_adddup2(&actions, child, target)
        theirs.append(child)
        ours[Int(target)] = parent
      }
    }
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var flags = Int32(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK)
    if newProcessGroup {
      flags |= Int32(POSIX_SPAWN_SETPGROUP)
      posix_spawnattr_setpgroup(&attributes, 0)
    }
    posix_spawnattr_setflags(&attributes, Int16(flags))
    var all = sigset_t()
    sigfillset(&all)
    posix_spawnattr_setsigdefault(&attributes, &all)
    var none = sigset_t()
    sigemptyset(&none)
    posix_spawnattr_setsigmask(&attributes, &none)

    let argv = arguments.map { strdup($0) } + [nil]
    defer { argv.forEach { free($0) } }
    let envp = environment.map { $0.map { strdup($0) } + [nil] }
    defer { envp?.forEach { free($0) } }
    var pid: pid_t = 0
    let status = argv.withUnsafeBufferPointer { args -> Int32 in
      guard let argvBase = args.baseAddress else { return EINVAL }
      guard let envp else { return posix_spawnp(&pid, arguments[0], &actions, &attributes, argvBase, environ) }
      return envp.withUnsafeBufferPointer { env in
        posix_spawnp(&pid, arguments[0], &actions, &attributes, argvBase, env.baseAddress ?? UnsafePointer(environ))
      }
    }
    guard status == 0 else {
      ours.filter { $0 >= 0 }.forEach { close($0) }
      throw SystemError("start", path: arguments[0], code: status)
    }
    return Subprocess(pid: pid, stdin: ours[0], stdout: ours[1], stderr: ours[2])
  }

  /// Runs `arguments` to completion: its exit code and standard output (its errors are dropped).
  ///
  /// - Throws: `SystemError` when it cannot be started.
  package static func output(_ arguments: [String]) throws -> (status: Int32, stdout: String) {
    let process = try spawn(arguments, stdout: .pipe, stderr: .devNull)
    let bytes = (try? FileSystem.readAll(process.stdout)) ?? []
    close(process.stdout)
    return (wait(process.pid), String(decoding: bytes, as: UTF8.self))
  }

  /// Waits for the process and returns its exit code (128+signal when killed).
  package static func wait(_ pid: pid_t) -> Int32 {
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 {
      if errno != EINTR { return -1 }
    }
    return exitCode(status)
  }

  /// The exit code if the process has ended, nil if it still runs.
  package static func poll(_ pid: pid_t) -> Int32? {
    var status: Int32 = 0
    let result = waitpid(pid, &status, WNOHANG)
    if result == pid { return exitCode(status) }
    return result < 0 ? -1 : nil
  }
}
