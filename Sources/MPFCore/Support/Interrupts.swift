#if canImport(Glibc)
  internal import Glibc
#endif
import Synchronization

/// Counts Ctrl-C (SIGINT) while an experiment runs: the first asks to stop after the current
/// run, the second to stop now. The handler only bumps an atomic counter (async-signal-safe).
package enum Interrupts {
  private static let counter = Atomic<Int>(0)

  package static var count: Int { counter.load(ordering: .relaxed) }

  /// Counts SIGINT from now on, until `restore`.
  package static func catchInterrupts() {
    counter.store(0, ordering: .relaxed)
    signal(SIGINT) { _ in Interrupts.counter.add(1, ordering: .relaxed) }
  }

  /// SIGINT ends the process again (the default).
  package static func restore() { signal(SIGINT, SIG_DFL) }
}
