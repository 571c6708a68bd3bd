import Synchronization
internal import MPFSystem

/// Ctrl-C, SIGTERM or SIGHUP while a bundle is checked (`mpf replay`): the program the check
/// waits for (gzip, tar) is ended at once and the check's next step throws `ExperimentStopped`,
/// so that the bundle's private copy is removed and nothing in it runs. Without this, the
/// signals keep their action from before: the default (mpf ends, its copy left behind) or, in a
/// job a script started in the background, ignored (the check went on and the bundle ran).
final class BundleCheckStop: Sendable {
  private let state = Mutex<(kind: Interrupts.Kind?, child: Int32?)>((nil, nil))

  /// Runs `body` with the signals forwarded to a `BundleCheckStop`.
  static func during<T>(_ body: (BundleCheckStop) throws -> T) throws -> T {
    let stop = BundleCheckStop()
    Interrupts.forward { stop.signal($0) }
    defer { Interrupts.restore() }
    return try body(stop)
  }

  private func signal(_ kind: Interrupts.Kind) {
    state.withLock { state in
      if state.kind == nil { state.kind = kind }
      if let child = state.child { _ = Signal.send(.kill, to: child) }
    }
  }

  /// - Throws: `ExperimentStopped` once a signal came (exit status 130 for Ctrl-C, else 143).
  func check() throws {
    guard let kind = state.withLock({ $0.kind }) else { return }
    throw ExperimentStopped(kind == .terminate ? .terminated : .interruptedBeforeRunning, abandoned: "the bundle's check was abandoned and nothing in it was run")
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
