/// The experiment was stopped on purpose or by a lost machine; it can be resumed.
package struct ExperimentStopped: Error, CustomStringConvertible {
  package enum Reason: Sendable, Equatable {
    /// Ctrl-C once: the run in progress was finished.
    case interruptedAfterRun
    /// Ctrl-C twice: the run in progress was abandoned.
    case interruptedNow
    /// SIGTERM or SIGHUP: the run in progress was abandoned.
    case terminated
    /// Ctrl-C stopped the script's own Lua code on the controller (its top level, on_run).
    case scriptInterrupted
    /// Ctrl-C before anything ran (`abandoned` says what was stopped: a bundle's check).
    case interruptedBeforeRunning
    /// `on_error = 'stop'` and run `run` ended with `status`.
    case runFailed(run: Int, status: String)
    /// A machine stayed unreachable; run `run` is node-lost.
    case machineLost(machine: String, role: String, run: Int)
  }

  package var reason: Reason
  /// What was stopped, when it was not a run (`the deployment was stopped during ...`).
  package var abandoned: String?

  package init(_ reason: Reason, abandoned: String? = nil) {
    self.reason = reason
    self.abandoned = abandoned
  }

  /// Stopped by Ctrl-C (the command exits with 130, as shells do).
  package var byInterrupt: Bool { reason == .interruptedAfterRun || reason == .interruptedNow || reason == .scriptInterrupted || reason == .interruptedBeforeRunning }

  package var description: String {
    switch reason {
    case .interruptedAfterRun: "stopped: Ctrl-C, after the run in progress"
    case .interruptedNow: "stopped: Ctrl-C twice; " + (abandoned ?? "the run in progress was abandoned")
    case .terminated: "stopped: told to end (SIGTERM or SIGHUP); " + (abandoned ?? "the run in progress was abandoned")
    case .scriptInterrupted: "stopped: Ctrl-C stopped the script's Lua code"
    case .interruptedBeforeRunning: "stopped: Ctrl-C; " + (abandoned ?? "nothing was run")
    case .runFailed(let run, let status): "stopped: run \(run) ended \(status) and on_error is 'stop'"
    case .machineLost(let machine, let role, let run):
      "stopped: \(machine) (role \(role)) stayed unreachable; run \(run) is node-lost"
    }
  }
}
