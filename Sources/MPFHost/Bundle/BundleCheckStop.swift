import Synchronization
internal import MPFSystem
internal import MPFCluster

/// Ctrl-C, SIGTERM or SIGHUP while a bundle is checked (`mpf replay`) or written (`mpf
/// export`): the program it waits for (gzip, tar, git) is ended at once and the next step
/// throws `ExperimentStopped`, so that the private copy (or the partial bundle) is removed and
/// nothing in it runs. Without this, the signals keep their action from before: the default
/// (mpf ends, its copy left behind) or, in a job a script started in the background, ignored
/// (the check went on and the bundle ran; an export could not be stopped).
final class BundleCheckStop: Sendable {
  private let state = Mutex<(kind: Interrupts.Kind?, child: Int32?)>((nil, nil))
  /// What was abandoned, said by the stop.
  private let abandoned: String
  /// Ends a `LocalProgram` run with `limits` at the signal.
  let commands = CommandStop()

  private init(abandoned: String) {
    self.abandoned = abandoned
  }

  /// Runs `body` with the signals forwarded to a `BundleCheckStop`.
  ///
  /// - Parameter abandoned: what a stop leaves undone, as the message says it.
  static func during<T>(abandoned: String = "the bundle's check was abandoned and nothing in it was run", _ body: (BundleCheckStop) throws -> T) throws -> T {
    let stop = BundleCheckStop(abandoned: abandoned)
    Interrupts.forward { stop.signal($0) }
    defer { Interrupts.restore() }
    return try body(stop)
  }

  private func signal(_ kind: Interrupts.Kind) {
    commands.stop()
    state.withLock { state in
      if state.kind == nil { state.kind = kind }
      if let child = state.child { _ = Signal.send(.kill, to: child) }
    }
  }

  /// The limits of a program run while this stop watches: ended at once at a signal.
  var limits: CommandLimits {
    var limits = CommandLimits()
    (limits.stop, limits.grace) = (commands, 0)
    return limits
  }

  /// Runs a program of this machine (`LocalProgram`), ended at once at a signal, which then
  /// throws.
  func run(_ arguments: [String]) throws -> CommandOutput {
    let output = try LocalProgram.run(arguments, input: nil, newProcessGroup: false, limits: limits)
    try check()
    return output
  }

  /// - Throws: `ExperimentStopped` once a signal came (exit status 130 for Ctrl-C, else 143).
  func check() throws {
    guard let kind = state.withLock({ $0.kind }) else { return }
    throw ExperimentStopped(kind == .terminate ? .terminated : .interruptedBeforeRunning, abandoned: abandoned)
  }

  /// From now until `wait(for: pid)`, `pid` is ended at once on a signal (or if one came already).
  func watch(_ pid: Int32) {
    state.withLock { state in
      state.child = pid
      if state.kind != nil { _ = Signal.send(.kill, to: pid) }
    }
  }

  /// Waits for `pid`, which is ended at once on a signal (or if one came already).
  func wait(for pid: Int32) throws -> Int32 {
    watch(pid)
    let status = Subprocess.wait(pid)
    state.withLock { $0.child = nil }
    try check()
    return status
  }
}
