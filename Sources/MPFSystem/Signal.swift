/// A signal number (`Signal.terminate` is SIGTERM), and the one place mpf sends signals and
/// sets what they do.
package struct Signal: RawRepresentable, Hashable, Sendable {
  package let rawValue: Int32
  package init(rawValue: Int32) { self.rawValue = rawValue }

  /// Sends `signal` to `pid` (a negative pid: to its process group).
  ///
  /// - Returns: true when it was delivered; false when no such process (or group) is left,
  ///   which is what ending processes expects, or when it may not be signalled (EPERM).
  @discardableResult
  package static func send(_ signal: Signal, to pid: Int32) -> Bool {
    guard pid != 0, pid != -1 else { return false }  // never the caller's group, never everything
    return system_kill(pid, signal.rawValue) == nil
  }

  /// Makes `signal` ignored by this process (and by what it `exec`s, unless reset).
  package static func ignore(_ signal: Signal) throws { try system_setDisposition(signal.rawValue, ignored: true) }

  /// Gives `signal` its default action again.
  package static func restoreDefault(_ signal: Signal) throws { try system_setDisposition(signal.rawValue, ignored: false) }

  /// From now on, each of `signals` writes its number as one byte to `descriptor` (a pipe's
  /// write end), for a thread reading the other end to act on: the self-pipe trick.
  package static func forward(_ signals: [Signal], to descriptor: Descriptor) throws {
    try system_forward(signals.map(\.rawValue), to: descriptor.raw)
  }
}
