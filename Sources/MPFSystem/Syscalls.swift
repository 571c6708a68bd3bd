#if canImport(Glibc)
  internal import Glibc
#endif
internal import CSystem
import Synchronization

// The C calls on plain values (process, signals, environment, machine, terminal, time), each
// as a thin function: `ThisProcess`, `Signal`, `Terminal` and `Clock` are built on them and
// need no C header. Descriptors, paths, processes started, threads, sockets and libm have
// files of their own in this folder (docs/architecture.md, "The system layer").

// MARK: - This process

func system_getpid() -> Int32 { getpid() }

/// `exit(3)`: flushes C's stdio first.
func system_exit(_ status: Int32) -> Never { exit(status) }

/// `_exit(2)`: at once, from any thread (no atexit handlers, no flushing).
func system_exitNow(_ status: Int32) -> Never { _exit(status) }

func system_setChildSubreaper() throws {
  try syscall("become a child subreaper") { csystem_set_child_subreaper() }
}

func system_setParentDeathSignal(_ signal: Int32) throws {
  try syscall("ask for a signal when the parent ends") { csystem_set_parent_death_signal(signal) }
}

func system_returnFreedMemory() { csystem_return_freed_memory() }

// MARK: - Signals

extension Signal {
  package static let hangUp = Signal(rawValue: SIGHUP)
  package static let interrupt = Signal(rawValue: SIGINT)
  package static let kill = Signal(rawValue: SIGKILL)
  package static let pipe = Signal(rawValue: SIGPIPE)
  package static let terminate = Signal(rawValue: SIGTERM)
}

/// `kill(2)`; nil when delivered, else why not.
func system_kill(_ pid: Int32, _ signal: Int32) -> Errno? {
  Glibc.kill(pid, signal) == 0 ? nil : .current
}

/// Sets `signal` to be ignored (`SIG_IGN`) or to its default action (`SIG_DFL`).
func system_setDisposition(_ signal: Int32, ignored: Bool) throws {
  let previous = Glibc.signal(signal, ignored ? SIG_IGN : SIG_DFL)
  if isSignalError(previous) { throw SystemError("set the action of signal \(signal)") }
}

/// Whether `signal(2)` returned `SIG_ERR` (the handler -1, which Swift cannot compare directly).
private func isSignalError(_ previous: __sighandler_t?) -> Bool {
  unsafeBitCast(previous, to: Int.self) == -1
}

/// The descriptor the forwarding handler writes to (-1: none yet).
private let forwardingDescriptor = Atomic<Int32>(-1)

/// Makes each of `signals` write its number, as one byte, to `fd`: all a handler may safely
/// do (`write` is async-signal-safe). One descriptor for the process: the last one given.
func system_forward(_ signals: [Int32], to fd: Int32) throws {
  forwardingDescriptor.store(fd, ordering: .sequentiallyConsistent)
  for forwarded in signals {
    let previous = Glibc.signal(forwarded) { number in
      var byte = UInt8(truncatingIfNeeded: number)
      _ = Glibc.write(forwardingDescriptor.load(ordering: .relaxed), &byte, 1)
    }
    if isSignalError(previous) { throw SystemError("handle signal \(forwarded)") }
  }
}

// MARK: - Environment

func system_getenv(_ name: String) -> String? { getenv(name).map { String(cString: $0) } }

func system_setenv(_ name: String, _ value: String) throws {
  try syscall("set the environment variable", path: name) { setenv(name, value, 1) }
}

/// `NAME=value` for every variable of the environment.
func system_environment() -> [String] {
  var result: [String] = []
  var cursor = environ
  while let entry = cursor.pointee {
    result.append(String(cString: entry))
    cursor += 1
  }
  return result
}

// MARK: - The machine

func system_hostname() -> String {
  var buffer = [CChar](repeating: 0, count: 256)
  guard gethostname(&buffer, buffer.count - 1) == 0 else { return "" }
  return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

/// `uname(2)`'s fields ("" each when it fails).
func system_uname() -> (system: String, node: String, release: String, machine: String) {
  var names = utsname()
  guard uname(&names) == 0 else { return ("", "", "", "") }
  func text<T>(_ field: T) -> String {
    withUnsafeBytes(of: field) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
  }
  return (text(names.sysname), text(names.nodename), text(names.release), text(names.machine))
}

/// The CPUs online (`sysconf`), at least 1.
func system_onlineCPUs() -> Int { max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN))) }

// MARK: - Terminal

/// The columns of the terminal on `fd`, 0 when it is not one.
func system_terminalColumns(_ fd: Int32) -> Int { Int(csystem_terminal_columns(fd)) }

// MARK: - Time

/// Seconds on the monotonic clock, or the wall clock (since the epoch).
func system_clock(monotonic: Bool) -> Double {
  var ts = timespec()
  // clock_gettime fails only for an unknown clock id: these two always exist.
  _ = clock_gettime(monotonic ? CLOCK_MONOTONIC : CLOCK_REALTIME, &ts)
  return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

/// Sleeps the calling thread for `seconds`, resuming after signals.
func system_sleep(_ seconds: Double) {
  let whole = NumberBounds.clampedInt(seconds, to: 0...Int(Int32.max), rounding: .down, nan: 0)
  let nanos = NumberBounds.clampedInt((seconds - Double(whole)) * 1e9, to: 0...999_999_999, rounding: .down, nan: 0)
  var request = timespec(tv_sec: whole, tv_nsec: nanos)
  var remaining = timespec()
  while nanosleep(&request, &remaining) != 0 && Errno.current == .interrupted { request = remaining }
}
