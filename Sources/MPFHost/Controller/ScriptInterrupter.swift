import Synchronization
internal import MPFScript
internal import MPFWorker
import MPFSystem

/// Stops the script's own Lua code on the controller from the signal thread: `interrupt` of
/// the Lua state and the controller's shell are safe from another thread.
final class ScriptInterrupter: @unchecked Sendable {
  // @unchecked: `script` and `shell` are set once by `attach` before signals are forwarded;
  // after that only their thread-safe `interrupt` is called, and `state` is a Mutex.
  /// Set once, before any signal is forwarded here.
  private var script: ExperimentScript?
  private var shell: Shell?
  private let state = Mutex<(signals: Int, kind: Interrupts.Kind?, delivering: Bool)>((0, nil, false))

  func attach(_ script: ExperimentScript, shell: Shell) {
    self.script = script
    self.shell = shell
  }

  func delivering(_ busy: Bool) { state.withLock { $0.delivering = busy } }

  /// - Parameter always: the script's code runs now (its top level); else only when it is in
  ///   `on_run` (an experiment's own handling stops the rest).
  func signal(_ kind: Interrupts.Kind, always: Bool) {
    let count = state.withLock { s -> Int in
      guard always || s.delivering else { return 0 }
      s.signals += 1
      s.kind = s.kind == .terminate ? .terminate : kind
      return s.signals
    }
    guard count > 0, let script else { return }
    if count >= 2 {
      // The code did not stop (blocked in a C call): end now.
      FileSystem.writeStderr("mpf: stopped: \(kind == .terminate ? "told to end" : "Ctrl-C twice")\n")
      shell?.endAll()
      ThisProcess.exit(kind == .terminate ? ExitStatus.terminated.rawValue : ExitStatus.interrupted.rawValue)
    }
    script.interrupt()
    shell?.interrupt()
  }

  /// What an error that ended the script means when a signal asked it to stop.
  func stop(for error: any Error) -> ExperimentStopped? {
    guard let kind = state.withLock({ $0.kind }) else { return nil }
    if let stopped = error as? ExperimentStopped { return stopped }
    guard "\(error)".contains("interrupted") else { return nil }
    return ExperimentStopped(kind == .terminate ? .terminated : .scriptInterrupted)
  }
}
