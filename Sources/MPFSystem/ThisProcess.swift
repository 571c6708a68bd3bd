/// This mpf process: its id, environment, machine, and how it ends.
package enum ThisProcess {
  package static var id: Int32 { system_getpid() }

  /// Makes memory freed by the process go back to the system rather than stay in its heap:
  /// one malloc arena (the controller's few threads share it; one arena per thread kept
  /// freed blocks of each), large blocks (from 128 KiB) mapped on their own and unmapped when
  /// freed, the heap's top trimmed past 128 KiB. The peak memory of a 100 000-run experiment
  /// drops by a third (docs/performance.md). Call it first, before any thread starts.
  package static func returnFreedMemory() {
    system_returnFreedMemory()
  }

  /// The machine's host name (`gethostname`), "" when it cannot be read.
  package static var hostName: String { system_hostname() }

  /// The machine as `uname` names it: kernel name, node name, kernel release, architecture
  /// (`x86_64`, `aarch64`); "" each when it cannot be read.
  package static var machine: (system: String, node: String, release: String, architecture: String) {
    let names = system_uname()
    return (names.system, names.node, names.release, names.machine)
  }

  /// The CPUs online.
  package static var onlineCPUs: Int { system_onlineCPUs() }

  /// The environment variables, as `NAME: value`.
  package static var environment: [String: String] {
    var result: [String: String] = [:]
    for text in system_environment() {
      if let equals = text.firstIndex(of: "=") { result[String(text[..<equals])] = String(text[text.index(after: equals)...]) }
    }
    return result
  }

  /// The environment as `NAME=value` entries, in its order (what a child is given).
  package static var environmentEntries: [String] { system_environment() }

  /// One environment variable, nil when it is not set.
  package static func environment(_ name: String) -> String? { system_getenv(name) }

  /// Sets an environment variable (for this process and what it starts later).
  package static func setEnvironment(_ name: String, _ value: String) throws { try system_setenv(name, value) }

  /// Ends the process with `status` after C's stdio is flushed (`exit`).
  package static func exit(_ status: Int32) -> Never { system_exit(status) }

  /// Ends the process with `status` at once, from any thread (`_exit`: no flushing, no
  /// handlers): what a watchdog thread calls.
  package static func exitNow(_ status: Int32) -> Never { system_exitNow(status) }

  /// Makes this process the reaper of its orphaned descendants (`PR_SET_CHILD_SUBREAPER`):
  /// daemons that detach stay its descendants.
  package static func becomeChildSubreaper() throws { try system_setChildSubreaper() }

  /// Asks for `signal` when the parent process ends (`PR_SET_PDEATHSIG`).
  package static func signalWhenParentEnds(_ signal: Signal) throws { try system_setParentDeathSignal(signal.rawValue) }
}
