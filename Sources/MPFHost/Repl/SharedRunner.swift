internal import MPFCore
import Synchronization
import MPFSystem

/// The runner of `mpf repl` (and its machine mode) as the signal thread sees it: only
/// `interrupt` (lua_sethook and an atomic flag, both safe from another thread) while a chunk
/// runs, `close` when nothing does.
// @unchecked Sendable: the signal thread reads `evaluating` (atomic) and calls only the runner's
// thread-safe `interrupt`, or `close` while the prompt waits and nothing else uses the runner.
final class SharedRunner: @unchecked Sendable {
  let runner: ExperimentRunner
  /// Whether a chunk runs now (Ctrl-C interrupts it) or the prompt waits (Ctrl-C is ignored).
  let evaluating = Atomic<Bool>(false)

  init(_ runner: ExperimentRunner) { self.runner = runner }

  /// From now on until `Interrupts.restore()`: Ctrl-C stops what runs, never the session;
  /// SIGTERM or SIGHUP end the session when nothing runs (and stop what runs, as Ctrl-C does).
  func forwardInterrupts() {
    Interrupts.forward { [self] kind in
      let busy = evaluating.load(ordering: .sequentiallyConsistent)
      if kind == .terminate, !busy {
        runner.close()
        ThisProcess.exit(ExitStatus.terminated.rawValue)
      }
      if busy { runner.interrupt() }
    }
  }

  /// Runs `body` as a chunk that Ctrl-C interrupts.
  func running<T>(_ body: () throws -> T) rethrows -> T {
    evaluating.store(true, ordering: .sequentiallyConsistent)
    defer { evaluating.store(false, ordering: .sequentiallyConsistent) }
    return try body()
  }
}
